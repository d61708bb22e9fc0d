/** Labels for generated form fields, from a provider's kebab-case flag names (`role-arn` → "Role ARN"). */
const UPPER = new Set(['arn', 'id', 'url', 'uri', 'kv', 'oidc', 'jwt', 'ca', 'mfa', 'json', 'api', 'aws']);

export function flagLabel(name: string): string {
  return name
    .split('-')
    .map((word, i) => (UPPER.has(word) ? word.toUpperCase() : i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(' ');
}
