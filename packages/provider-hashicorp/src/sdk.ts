/** The SDKs this provider loads on first use only (`importOptional`), so loading it loads none. */
import { importOptional } from '@vault/core/provider';

export const loadNodeVault = importOptional('node-vault', () => import('node-vault'));
export const loadAxios = importOptional('axios', () => import('axios'));
export const loadAxiosRetry = importOptional('axios-retry', () => import('axios-retry'));
export const loadOpenIdClient = importOptional('openid-client', () => import('openid-client'));
