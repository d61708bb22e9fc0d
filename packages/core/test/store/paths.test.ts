import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVaultHome, vaultFilePath } from '../../src/store/index.js';

describe('defaultVaultHome', () => {
  const homeDir = '/home/ada';

  it('uses VAULTLINK_HOME first', () => {
    expect(defaultVaultHome({ VAULTLINK_HOME: '/srv/vl', XDG_DATA_HOME: '/x' }, { platform: 'linux', homeDir })).toBe('/srv/vl');
  });

  it('uses $XDG_DATA_HOME/vaultlink next', () => {
    expect(defaultVaultHome({ XDG_DATA_HOME: '/data' }, { platform: 'linux', homeDir })).toBe(join('/data', 'vaultlink'));
  });

  it('ignores empty variables', () => {
    expect(defaultVaultHome({ VAULTLINK_HOME: '', XDG_DATA_HOME: ' ' }, { platform: 'linux', homeDir })).toBe(
      join(homeDir, '.local', 'share', 'vaultlink'),
    );
  });

  it('falls back to the platform data directory', () => {
    expect(defaultVaultHome({}, { platform: 'linux', homeDir })).toBe(join(homeDir, '.local', 'share', 'vaultlink'));
    expect(defaultVaultHome({}, { platform: 'darwin', homeDir })).toBe(join(homeDir, 'Library', 'Application Support', 'vaultlink'));
    expect(defaultVaultHome({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, { platform: 'win32', homeDir })).toBe(
      join('C:\\Users\\ada\\AppData\\Roaming', 'vaultlink'),
    );
  });

  it('puts the vault file in the home as vault.enc', () => {
    expect(vaultFilePath('/srv/vl')).toBe(join('/srv/vl', 'vault.enc'));
  });
});
