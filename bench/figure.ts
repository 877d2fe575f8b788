/** One benchmark figure, compared with a reference measured in the same run. */
export interface Figure {
  /** Machine-readable key, e.g. `gsmtap_decode_real_capture_frames_per_s`. */
  name: string;
  /** One-line human description for BENCHMARKS.md. */
  description: string;
  value: number;
  unit: string;
  /** What the value is compared against, e.g. `tshark -r <file> -T fields …`, or null when nothing is. */
  reference: string | null;
  reference_value: number | null;
  /** value / reference_value (higher is better for rates), or null. */
  ratio: number | null;
  /** Exact command(s) or workload, for reproducing. */
  command: string;
}
