/** The `ProviderFields` key of a provider flag: the camelCase of its kebab-case name (`role-arn` → `roleArn`). */
export function flagFieldName(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
