/**
 * Locks the agent after `minutes` without a request that used the vault. The timer restarts
 * when a request starts and when the last one in flight ends, so a long request never counts
 * as idle time. 0 disables it.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  private deadline: number | undefined;

  constructor(
    private readonly minutes: number,
    private readonly onIdle: () => void,
  ) {}

  /** When the agent locks if nothing happens, or undefined when it never does / is not armed. */
  get locksAt(): number | undefined {
    return this.deadline;
  }

  restart(): void {
    this.stop();
    if (this.minutes <= 0) return;
    const ms = this.minutes * 60_000;
    this.deadline = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.deadline = undefined;
      this.onIdle();
    }, ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = undefined;
  }
}
