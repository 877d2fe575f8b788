/**
 * The `iq` source of the edge config (one member of `sources`): an SDR seen through rtl_tcp, or an IQ
 * recording. Defaults live here; docs/configuration.md is generated from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { GSM_BANDS } from './gsm-bands.js';
import { IQ_FORMATS } from './sample-format.js';

export const IqSourceSchema = Type.Object(
  {
    kind: Type.Literal('iq'),
    name: Type.String({ minLength: 1, default: 'sdr', description: 'Source name in status and logs.' }),
    path: Type.Optional(Type.String({ minLength: 1, description: 'IQ recording (.cu8 .cs8 .cs16 .cf32 .cfile or .sigmf-data, SigMF sidecar read when present). Give either path or rtl_tcp.' })),
    format: Type.Optional(Type.Union(IQ_FORMATS.map((f) => Type.Literal(f)), { description: 'Sample format of `path` when neither its extension nor a SigMF sidecar says.' })),
    rtl_tcp: Type.Optional(
      Type.Object(
        {
          host: Type.String({ default: '127.0.0.1', description: 'rtl_tcp server address (rtl_tcp -a 127.0.0.1 on the Pi).' }),
          port: Type.Integer({ minimum: 1, maximum: 65535, default: 1234, description: 'rtl_tcp port.' }),
          gain_db: Type.Union([Type.Number({ minimum: 0, maximum: 60 }), Type.Literal('auto')], { default: 40, description: 'Tuner gain in dB, or "auto" (tuner AGC: powers then drift with the signal; use a fixed gain for calibrated dBm).' }),
          ppm: Type.Integer({ minimum: -200, maximum: 200, default: 0, description: 'Frequency correction of the dongle (see docs/sdr.md: read it off a BCCH carrier\'s freq_offset_hz).' }),
          rtl_agc: Type.Boolean({ default: false, description: 'RTL2832 digital AGC (off for calibrated powers).' }),
          bias_tee: Type.Optional(Type.Boolean({ description: 'Power an LNA through the antenna input (RTL-SDR Blog v3 and later).' })),
          settle_s: Type.Number({ minimum: 0, maximum: 2, default: 0.05, description: 'Samples dropped after each retune while the tuner settles.' }),
        },
        { additionalProperties: false, description: 'An RTL-SDR (or an rtl_tcp-compatible server) on the network; give either rtl_tcp or path.' },
      ),
    ),
    sample_rate_hz: Type.Optional(Type.Number({ minimum: 250_000, maximum: 100_000_000, description: 'Sample rate; rtl_tcp default 2 400 000 (RTL-SDR\'s highest reliable rate); files: from the SigMF sidecar when absent.' })),
    center_freq_hz: Type.Optional(Type.Number({ minimum: 1_000_000, maximum: 6_000_000_000, description: 'Centre frequency (monitor mode); files: from the SigMF sidecar when absent.' })),
    band: Type.Union(GSM_BANDS.map((b) => Type.Literal(b)), { default: 'GSM900', description: 'GSM band, for ARFCN numbering and scans.' }),
    mode: Type.Union([Type.Literal('monitor'), Type.Literal('scan')], { default: 'monitor', description: 'monitor: stay on center_freq_hz (or cycle `schedule`); scan: sweep the band (rtl_tcp only), one band_scan per sweep.' }),
    schedule: Type.Optional(
      Type.Array(
        Type.Object(
          {
            center_freq_hz: Type.Number({ minimum: 1_000_000, maximum: 6_000_000_000 }),
            dwell_s: Type.Number({ exclusiveMinimum: 0, description: 'Time on this tuning before the next.' }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, description: 'Monitor several tunings in turn (rtl_tcp), e.g. a BCCH downlink for the TDMA clock, then its uplink: uplink bursts then carry frame numbers.' },
      ),
    ),
    scan: Type.Object(
      {
        links: Type.Array(Type.Union([Type.Literal('downlink'), Type.Literal('uplink')]), { minItems: 1, default: ['downlink'], description: 'Which halves of the band to sweep.' }),
        dwell_s: Type.Number({ exclusiveMinimum: 0, default: 0.3, description: 'Time per step (≥ 0.235 s sees a whole 51-multiframe, so every BCCH carrier shows its FCCH).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    calibration_db: Type.Number({ default: 0, description: 'dBm = dBFS + calibration_db for this dongle at this gain (docs/sdr.md: calibrating).' }),
    report_interval_s: Type.Number({ minimum: 0.1, maximum: 3600, default: 10, description: 'channel_power and slot_occupancy interval.' }),
    fft_size: Type.Optional(Type.Integer({ minimum: 4, maximum: 65536, description: 'Channelizer FFT size (power of two); default: bins ≤ 20 kHz (128 at 2.4 MS/s).' })),
    fft_backend: Type.Union([Type.Literal('fft.js'), Type.Literal('pffft-wasm')], { default: 'fft.js', description: 'FFT: fft.js (pure JavaScript, double precision) or pffft-wasm (PFFFT in WebAssembly SIMD, single precision, several times faster; FFT size a multiple of 16).' }),
    burst_threshold_db: Type.Number({ minimum: 3, maximum: 40, default: 10, description: 'A burst starts this far above the noise floor.' }),
    adjacent_rejection_db: Type.Number({ minimum: 0, maximum: 40, default: 12, description: 'Ignore a channel within this many dB below its stronger neighbour (GMSK leaks ~15 dB into the next ARFCN).' }),
    iq_correction: Type.Boolean({ default: true, description: 'Blind IQ imbalance correction (removes mirror images of strong carriers).' }),
    noise_floor_dbfs: Type.Optional(Type.Number({ maximum: 0, description: 'Fixed noise floor of one 200 kHz channel, dBFS, instead of the estimate (a band busy wall to wall).' })),
    max_freq_error_hz: Type.Number({ exclusiveMinimum: 0, maximum: 100_000, default: 30_000, description: 'Largest carrier/tuning error accepted for an FCCH (≈ ±30 ppm at 900 MHz).' }),
    sync_arfcn: Type.Optional(Type.Integer({ minimum: 0, maximum: 1023, description: 'BCCH carrier whose FCCH/SCH times the uplink; default the first cell synchronised.' })),
    uplink_bursts: Type.Object(
      {
        emit: Type.Union([Type.Literal('access'), Type.Literal('all'), Type.Literal('none')], { default: 'access', description: 'Which uplink bursts become uplink_burst observations (access: RACH bursts, which tie to Immediate Assignments).' }),
        max_per_s: Type.Integer({ minimum: 0, default: 50, description: 'Cap on uplink_burst observations per second (the rest are counted as suppressed).' }),
      },
      { additionalProperties: false, default: {} },
    ),
    watchdog: Type.Object(
      {
        stall_timeout_s: Type.Number({ exclusiveMinimum: 0, default: 5, description: 'rtl_tcp connected but no samples for this long = stall.' }),
        exit_on_stall: Type.Boolean({ default: true, description: 'A stall stops the agent with a non-zero exit so systemd restarts it (and rtl_tcp); false: reconnect instead.' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type IqSourceConfig = Static<typeof IqSourceSchema>;
