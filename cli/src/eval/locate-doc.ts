/**
 * The location section of docs/evaluation.md: how the numbers were made, the table, and the markers
 * that let the generator replace only its own section (the detection table beside it is written by
 * another generator). Pure text.
 */

export const LOCATION_BEGIN = '<!-- location-evaluation:begin (npm run docs:locate; do not edit by hand) -->';
export const LOCATION_END = '<!-- location-evaluation:end -->';

export function renderLocationSection(table: string, run: { command: string; generated: string; wall_s: number }): string {
  return [
    LOCATION_BEGIN,
    '## Location',
    '',
    `Generated ${run.generated} by \`${run.command}\` (${run.wall_s.toFixed(0)} s).`,
    '',
    'Trial dens are placed at random (seeded) where the scenario\'s people are. Each is served by the nearest',
    'cell of every operator, at the TA its BTS measures (distance plus an exponential multipath excess, mean',
    '60 m). Its uplink bursts reach probes through the simulator\'s channel (simulator/src/uplink/): path-loss',
    'exponent 2.8–3.6 and building loss 5–30 dB drawn per den, ±3 dB per facade, 6 dB shadowing correlated',
    'over 25 m, Rayleigh fading, ±2 dB probe calibration, −118 dBm sensitivity. The engine (collector/src/geo/)',
    'knows none of these values: it fits the level at 1 m and the exponent. Setups build on each other:',
    '',
    '- **ta-one-cell**: the TA ring of the nearest serving cell only (the OsmoSMLC-style baseline).',
    '- **ta-multi**: the rings of the den\'s serving cells of every operator.',
    '- **+3-fixed-probes**: three probes set up 300 m around the ta-multi estimate (120° apart), 30 min of bursts.',
    '- **+bearing**: one rotator bearing from the first probe (true bearing + N(0, 5°), reported σ 5°).',
    '- **+fox-hunt**: a unit on foot from the first probe, walking where the engine sends it, at most 45 min.',
    '',
    'Error: distance from the maximum-likelihood point to the true den. Coverage: share of dens inside their',
    '95 % ellipse (the smallest ellipse holding 95 % of the posterior mass); calibrated means 90–98 %. "In 95 %',
    'HPD region": share of dens inside the posterior\'s own 95 % highest-density region (the posterior\'s',
    'calibration, without the single-ellipse shape).',
    '',
    table,
    LOCATION_END,
  ].join('\n');
}

/** Replace the section between the markers, or append it. */
export function replaceLocationSection(doc: string, section: string): string {
  const a = doc.indexOf(LOCATION_BEGIN);
  const b = doc.indexOf(LOCATION_END);
  if (a >= 0 && b > a) return `${doc.slice(0, a)}${section}${doc.slice(b + LOCATION_END.length)}`;
  return `${doc.replace(/\s*$/, '')}\n\n${section}\n`;
}
