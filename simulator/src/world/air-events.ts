/**
 * What happens on the air, before encoding: the simulator's world produces these, the frame builder turns
 * them into GSMTAP bytes, and the ground truth labels each access with who made it (human or den).
 */

export type SimCause = 'originating_call' | 'other_sdcch' | 'location_updating' | 'answer_to_paging' | 'emergency_call';

export type AirEvent =
  | { kind: 'system_information'; ts_ms: number; cell_index: number; si: 'si1' | 'si2' | 'si3' | 'si4' | 'si13' }
  | { kind: 'paging'; ts_ms: number; cell_index: number; tmsi: number; channel_needed: 'any' | 'sdcch' | 'tch_f' }
  | {
      kind: 'assignment';
      ts_ms: number;
      cell_index: number;
      ta_steps: number;
      cause: SimCause;
      /** When the phone sent its CHANNEL REQUEST (a few frames before the assignment). */
      request_ts_ms: number;
      /** Ground truth: "human" or "den:<id>". */
      origin: string;
    };
