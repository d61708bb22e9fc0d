export declare const TEST_TEMP_PREFIX: 'vl-';
/** Starts the guard; the returned teardown restores TMPDIR and throws when a `vl-*` folder was left. */
export default function setup(): Promise<() => Promise<void>>;
