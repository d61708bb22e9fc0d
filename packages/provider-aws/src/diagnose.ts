/**
 * Explains a 401/403 that came without a readable error code (moto answers JSON services with
 * XML errors; a proxy may answer with HTML). STS GetCallerIdentity needs no permission, so if
 * it accepts the same credentials the refusal was about permission (ACCESS_DENIED); if it
 * rejects them, the credentials are the problem (REAUTH_REQUIRED). Never NOT_FOUND.
 */
import type { VaultError } from '@vault/core/provider';
import type { AwsClients, CallOptions } from './client.js';
import { sendOptions } from './client.js';
import { accessDenied, isUnexplainedForbidden, toVaultError, type ErrorContext } from './errors.js';
import { loadSts } from './sdk.js';
import type { StoredCredentials } from './session.js';

/** One diagnosis per credentials + region for the life of a fetch call. */
export class ForbiddenDiagnosis {
  private readonly verdicts = new Map<string, Promise<VaultError | undefined>>();

  constructor(
    private readonly clients: AwsClients,
    private readonly call: CallOptions,
  ) {}

  /** undefined: the credentials work; otherwise the error that rejects them. */
  private credentialsProblem(key: string, credentials: StoredCredentials, region: string): Promise<VaultError | undefined> {
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = (async () => {
        try {
          const [sts, { GetCallerIdentityCommand }] = await Promise.all([this.clients.sts(credentials, region), loadSts()]);
          await sts.send(new GetCallerIdentityCommand({}), sendOptions(this.call));
          return undefined;
        } catch (error) {
          return toVaultError(error, { operation: 'GetCallerIdentity', phase: 'use', timeoutMs: this.call.timeoutMs });
        }
      })();
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** Returns `error` unchanged unless it is an unexplained 401/403, which it classifies. */
  async refine(error: VaultError, key: string, credentials: StoredCredentials, region: string, context: ErrorContext): Promise<VaultError> {
    if (!isUnexplainedForbidden(error)) return error;
    const problem = await this.credentialsProblem(key, credentials, region);
    if (!problem) return accessDenied(context, error);
    // GetCallerIdentity gave no clearer answer either: the credentials are not accepted.
    return isUnexplainedForbidden(problem) ? toVaultError({ name: 'InvalidClientTokenId' }, context) : problem;
  }
}
