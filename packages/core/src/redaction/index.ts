export { createMasker, formsOf, DEFAULT_MASK, type Masker } from './masker.js';
export { createMaskStream } from './mask-stream.js';
