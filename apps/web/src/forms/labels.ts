/** Labels for generated form fields, from a provider's kebab-case flag names (`role-arn` → "Role ARN"). */
const UPPER = new Set(['arn', 'id', 'url', 'uri', 'kv', 'oidc', 'jwt', 'ca', 'mfa', 'json', 'api', 'aws']);
const WORDS: Record<string, string> = { addr: 'address', cert: 'certificate' };

export function flagLabel(name: string): string {
  return name
    .split('-')
    .map((part) => WORDS[part] ?? part)
    .map((word, i) => (UPPER.has(word) ? word.toUpperCase() : i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(' ');
}
