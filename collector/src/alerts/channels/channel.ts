/**
 * What every alert channel is: something that tries to deliver one delivery (one notification to one
 * recipient or endpoint) and says how it went — delivered, or failed with whether trying again can help.
 * The delivery worker owns retries, backoff and status; a channel makes exactly one attempt per call.
 * Types and the retry schedule only.
 */
import type { ChannelName, DeliveryRecord } from '../alert-types.js';

export type ChannelAttempt =
  | { ok: true; detail?: string }
  /**
   * permanent: the endpoint refused this message for good (bad address, 4xx other than 408/429, SMTP 5xx).
   * wait_for_connect: nobody to deliver to until the recipient connects (web sessions).
   */
  | { ok: false; error: string; permanent?: boolean; wait_for_connect?: boolean };

export interface AlertChannel {
  readonly name: ChannelName;
  deliver(delivery: DeliveryRecord): Promise<ChannelAttempt>;
  close?(): Promise<void>;
}

export interface RetrySchedule {
  max_attempts: number;
  initial_backoff_s: number;
  max_backoff_s: number;
}

/**
 * Delay before attempt n+1 after n failed attempts: initial × 2^(n−1), capped, with ±20 % jitter so that
 * many deliveries failing together (an endpoint down) do not retry in lockstep.
 */
export function retryDelayMs(failedAttempts: number, schedule: RetrySchedule, random: () => number = Math.random): number {
  const base = Math.min(schedule.max_backoff_s, schedule.initial_backoff_s * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(base * 1000 * (0.8 + 0.4 * random()));
}

/** HTTP status → is it worth trying again? (408 timeout, 429 rate limited, 5xx: yes; other 4xx: no). */
export const httpStatusIsPermanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;
