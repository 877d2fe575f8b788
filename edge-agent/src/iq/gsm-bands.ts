/**
 * GSM bands: ARFCN ↔ carrier frequency for uplink and downlink (3GPP TS 45.005 §2), and which ARFCNs
 * fall inside a receiver's view (centre frequency ± usable bandwidth). Pure functions, no I/O.
 *
 * It must not guess a band from an ARFCN alone: DCS 1800 and PCS 1900 share ARFCNs 512–810, so the
 * band is always given.
 */

export const GSM_BANDS = ['GSM850', 'GSM900', 'DCS1800', 'PCS1900'] as const;
export type GsmBand = (typeof GSM_BANDS)[number];
export type Link = 'uplink' | 'downlink';

/** GSM carrier spacing and the width one ARFCN's power is integrated over. */
export const CHANNEL_SPACING_HZ = 200_000;

interface ArfcnRange {
  first: number;
  last: number;
  /** Uplink frequency of ARFCN `first`. */
  uplinkFirstHz: number;
}

interface BandDefinition {
  ranges: ArfcnRange[];
  duplexHz: number;
}

// TS 45.005 §2: Ful(n) = base + 0.2 MHz·(n − offset); Fdl(n) = Ful(n) + duplex spacing.
const BANDS: Record<GsmBand, BandDefinition> = {
  GSM850: { ranges: [{ first: 128, last: 251, uplinkFirstHz: 824_200_000 }], duplexHz: 45_000_000 },
  // E-GSM 900 (includes P-GSM 1–124): ARFCN 0–124 and 975–1023.
  GSM900: {
    ranges: [
      { first: 0, last: 124, uplinkFirstHz: 890_000_000 },
      { first: 975, last: 1023, uplinkFirstHz: 880_200_000 },
    ],
    duplexHz: 45_000_000,
  },
  DCS1800: { ranges: [{ first: 512, last: 885, uplinkFirstHz: 1_710_200_000 }], duplexHz: 95_000_000 },
  PCS1900: { ranges: [{ first: 512, last: 810, uplinkFirstHz: 1_850_200_000 }], duplexHz: 80_000_000 },
};

/** Carrier frequency of an ARFCN, or null when the ARFCN does not exist in that band. */
export function arfcnToFrequency(band: GsmBand, arfcn: number, link: Link): number | null {
  for (const r of BANDS[band].ranges) {
    if (Number.isInteger(arfcn) && arfcn >= r.first && arfcn <= r.last) {
      const ul = r.uplinkFirstHz + CHANNEL_SPACING_HZ * (arfcn - r.first);
      return link === 'uplink' ? ul : ul + BANDS[band].duplexHz;
    }
  }
  return null;
}

/** The ARFCN and link whose carrier lies within `toleranceHz` of `freqHz`, or null. */
export function frequencyToArfcn(band: GsmBand, freqHz: number, toleranceHz = 1_000): { arfcn: number; link: Link } | null {
  for (const link of ['downlink', 'uplink'] as const) {
    for (const r of BANDS[band].ranges) {
      const base = r.uplinkFirstHz + (link === 'downlink' ? BANDS[band].duplexHz : 0);
      const n = Math.round((freqHz - base) / CHANNEL_SPACING_HZ);
      if (n < 0 || n > r.last - r.first) continue;
      if (Math.abs(base + n * CHANNEL_SPACING_HZ - freqHz) <= toleranceHz) return { arfcn: r.first + n, link };
    }
  }
  return null;
}

/** Every ARFCN of a band in ascending carrier frequency, with its frequency on `link`. */
export function bandChannels(band: GsmBand, link: Link): Array<{ arfcn: number; freq_hz: number }> {
  const out: Array<{ arfcn: number; freq_hz: number }> = [];
  for (const r of BANDS[band].ranges) {
    for (let n = r.first; n <= r.last; n++) out.push({ arfcn: n, freq_hz: arfcnToFrequency(band, n, link)! });
  }
  return out.sort((a, b) => a.freq_hz - b.freq_hz);
}

/** Lowest and highest carrier frequency of a band on a link. */
export function bandEdges(band: GsmBand, link: Link): { low_hz: number; high_hz: number } {
  const ch = bandChannels(band, link);
  return { low_hz: ch[0]!.freq_hz, high_hz: ch[ch.length - 1]!.freq_hz };
}

export interface ChannelInView {
  arfcn: number;
  link: Link;
  freq_hz: number;
  /** Carrier frequency minus the receiver's centre frequency. */
  offset_hz: number;
}

/**
 * The ARFCNs (of both links) whose whole 200 kHz channel lies inside centre ± usable/2. `usableHz` is
 * the part of the sampled bandwidth the receiver's anti-alias filter leaves flat (e.g. 0.85 × rate).
 */
export function channelsInView(band: GsmBand, centerHz: number, usableHz: number): ChannelInView[] {
  const half = usableHz / 2 - CHANNEL_SPACING_HZ / 2;
  const out: ChannelInView[] = [];
  if (half < 0) return out;
  for (const link of ['downlink', 'uplink'] as const) {
    for (const c of bandChannels(band, link)) {
      const offset = c.freq_hz - centerHz;
      if (Math.abs(offset) <= half + 1e-6) out.push({ arfcn: c.arfcn, link, freq_hz: c.freq_hz, offset_hz: offset });
    }
  }
  return out.sort((a, b) => a.freq_hz - b.freq_hz);
}

/**
 * Bands with at least one channel (either link) inside centre ± halfWidth, in the order tried when a
 * recording does not say (GSM900, DCS1800, GSM850, PCS1900: DCS 1800 before PCS 1900 where they overlap).
 */
export function bandsAt(centerHz: number, halfWidthHz: number): GsmBand[] {
  return (['GSM900', 'DCS1800', 'GSM850', 'PCS1900'] as const).filter((b) =>
    (['downlink', 'uplink'] as const).some((link) => {
      const { low_hz, high_hz } = bandEdges(b, link);
      return centerHz + halfWidthHz >= low_hz - CHANNEL_SPACING_HZ / 2 && centerHz - halfWidthHz <= high_hz + CHANNEL_SPACING_HZ / 2;
    }),
  );
}
