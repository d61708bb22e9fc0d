/**
 * Hash routes: `#/secrets`, `#/secrets/NAME`, `#/integrations[/PROVIDER/ACTION]`, `#/settings`, and
 * `#/unlock` (a fix's Unlock button: the app checks the lock and shows the unlock screen).
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  screen: 'secrets' | 'integrations' | 'settings' | 'unlock';
  name?: string;
  action?: string;
}

export function parseRoute(hash: string): Route {
  const [screen = 'secrets', name, action] = hash
    .replace(/^#\/?/, '')
    .split('/')
    .map((part) => decodeURIComponent(part));
  const known = screen === 'integrations' || screen === 'settings' || screen === 'unlock' ? screen : 'secrets';
  return { screen: known, ...(name ? { name } : {}), ...(action ? { action } : {}) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function go(hash: string): void {
  location.hash = hash;
}
