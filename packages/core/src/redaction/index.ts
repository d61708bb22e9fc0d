export { createMasker, SecretMasker, DEFAULT_MASK, MIN_SUBSTRING_LENGTH, type Masker, type MaskerOptions } from './masker.js';
export { textForms, byteForms, type ExtraForms } from './forms.js';
export { createMaskStream } from './mask-stream.js';
