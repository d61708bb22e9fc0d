/**
 * `setup --print-commands`: the guide's Vault-side setup as a runnable shell script with
 * this setup's names filled in, for admins who prefer to run it themselves. `bao` takes
 * the same commands. The script captures client_id and issuer into shell variables and
 * ends with the `vaultlink setup` line that records them.
 */
import type { BootstrapPlan } from './bootstrap.js';

/** POSIX single-quoting: safe for any value, including the multi-line policy. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CommandPlan extends BootstrapPlan {
  vaultAddr: string;
  namespace?: string;
}

export function renderSetupCommands(plan: CommandPlan, cli = 'vault'): string[] {
  const q = shellQuote;
  const lines = [
    `# Vault-side setup for vaultlink (OpenBao: the same commands work with \`bao\`). Run with an admin token in VAULT_TOKEN.`,
    `export VAULT_ADDR=${q(plan.vaultAddr)}`,
    ...(plan.namespace ? [`export VAULT_NAMESPACE=${q(plan.namespace)}`] : []),
    `${cli} write identity/oidc/client/${q(plan.oidcName)} client_type=public assignments=allow_all redirect_uris=${q(plan.redirectUri)}`,
    `CLIENT_ID="$(${cli} read -field=client_id identity/oidc/client/${q(plan.oidcName)})"`,
    `${cli} write identity/oidc/provider/${q(plan.oidcName)} allowed_client_ids="$CLIENT_ID" issuer=${q(plan.issuerBase)}`,
    `ISSUER="$(${cli} read -field=issuer identity/oidc/provider/${q(plan.oidcName)})"`,
    `${cli} write sys/auth/${q(plan.jwtPath)} type=jwt`,
    `${cli} write auth/${q(plan.jwtPath)}/config oidc_discovery_url="$ISSUER" default_role=${q(plan.role)}`,
    `${cli} write sys/policy/${q(plan.policyName)} policy=${q(plan.policy)}`,
    `${cli} write auth/${q(plan.jwtPath)}/role/${q(plan.role)} role_type=jwt bound_audiences="$CLIENT_ID" user_claim=sub token_policies=${q(plan.policyName)}`,
    `# Then record the team settings (with an admin token in VAULT_TOKEN):`,
    [
      'vaultlink setup hashicorp --oidc-provider-url "$ISSUER" --client-id "$CLIENT_ID"',
      `--jwt-path ${q(plan.jwtPath)} --role ${q(plan.role)}`,
      `--redirect-uri ${q(plan.redirectUri)}`,
      ...(plan.namespace ? [`--namespace ${q(plan.namespace)}`] : []),
    ].join(' '),
  ];
  return lines;
}
