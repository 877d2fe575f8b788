/**
 * A den as a case-file export: GeoJSON (RFC 7946: lon/lat order) and KML 2.2 (OGC 07-147r2), each with
 * the ML point, the 95 % ellipse as a polygon, every TA ring as a polygon with its hole, and the den's
 * facts as properties / ExtendedData. Shapes come from @simhound/geo. Pure text; XML-escaped.
 */
import { annulusLatLngs, ellipseLatLngs, type LatLon } from '@simhound/geo';
import type { DenPlace, DenRecord } from './den-types.js';
import { placeKey } from './den-types.js';

export interface DenExportInput {
  den: DenRecord;
  places: ReadonlyArray<DenPlace & { cell_position: LatLon | null }>;
}

type Ring = Array<[number, number]>;
const lonLat = (pairs: Array<[number, number]>): Ring => {
  const r = pairs.map(([lat, lon]) => [lon, lat] as [number, number]);
  if (r.length) r.push(r[0]!);
  return r;
};

function props(den: DenRecord): Record<string, unknown> {
  return {
    den_id: den.id, state: den.state, outcome: den.outcome, first_seen_ts_ms: den.first_seen_ts_ms, last_seen_ts_ms: den.last_seen_ts_ms,
    max_score: den.max_score, max_severity: den.max_severity, reactivations: den.reactivations,
    estimate_ts_ms: den.estimate?.ts_ms ?? null,
    ellipse_semi_major_m: den.estimate?.ellipse_95.semi_major_m ?? null,
    ellipse_semi_minor_m: den.estimate?.ellipse_95.semi_minor_m ?? null,
    ellipse_orientation_deg: den.estimate?.ellipse_95.orientation_deg ?? null,
  };
}

export function denGeoJson({ den, places }: DenExportInput): object {
  const features: object[] = [];
  if (den.estimate) {
    const e = den.estimate;
    features.push({ type: 'Feature', properties: { ...props(den), kind: 'ml_point' }, geometry: { type: 'Point', coordinates: [e.ml_point.lon_deg, e.ml_point.lat_deg] } });
    features.push({ type: 'Feature', properties: { ...props(den), kind: 'ellipse_95' }, geometry: { type: 'Polygon', coordinates: [lonLat(ellipseLatLngs(e.ellipse_95))] } });
  }
  for (const p of places) {
    if (p.cell_position === null) continue;
    features.push({
      type: 'Feature',
      properties: { kind: 'ta_ring', place: placeKey(p), arfcn: p.arfcn, ta_steps: p.ta_steps, ta_span: p.ta_span, range_min_m: p.range_min_m, range_max_m: p.range_max_m, probes: p.probes, detectors: p.detectors },
      geometry: { type: 'Polygon', coordinates: annulusLatLngs(p.cell_position, p.range_min_m, p.range_max_m).map(lonLat) },
    });
  }
  return { type: 'FeatureCollection', features };
}

const xml = (s: unknown) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const coords = (ring: Ring) => ring.map(([lon, lat]) => `${lon},${lat},0`).join(' ');

export function denKml({ den, places }: DenExportInput): string {
  const data = Object.entries(props(den)).map(([k, v]) => `<Data name="${xml(k)}"><value>${xml(v ?? '')}</value></Data>`).join('');
  const marks: string[] = [];
  if (den.estimate) {
    const e = den.estimate;
    marks.push(`<Placemark><name>den ${xml(den.id)}: most likely point</name><ExtendedData>${data}</ExtendedData><Point><coordinates>${e.ml_point.lon_deg},${e.ml_point.lat_deg},0</coordinates></Point></Placemark>`);
    marks.push(`<Placemark><name>95 % ellipse</name><styleUrl>#ellipse</styleUrl><Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(lonLat(ellipseLatLngs(e.ellipse_95)))}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>`);
  }
  for (const p of places) {
    if (p.cell_position === null) continue;
    const [outer, inner] = annulusLatLngs(p.cell_position, p.range_min_m, p.range_max_m).map(lonLat);
    marks.push(`<Placemark><name>TA ring ${xml(placeKey(p))}</name><styleUrl>#ring</styleUrl><Polygon><outerBoundaryIs><LinearRing><coordinates>${coords(outer!)}</coordinates></LinearRing></outerBoundaryIs>` +
      (inner ? `<innerBoundaryIs><LinearRing><coordinates>${coords(inner)}</coordinates></LinearRing></innerBoundaryIs>` : '') + '</Polygon></Placemark>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>',
    `<name>simhound den ${xml(den.id)}</name>`,
    '<Style id="ellipse"><LineStyle><color>ff1c19d7</color><width>2</width></LineStyle><PolyStyle><color>331c19d7</color></PolyStyle></Style>',
    '<Style id="ring"><LineStyle><color>ff0aa3f0</color><width>1</width></LineStyle><PolyStyle><color>220aa3f0</color></PolyStyle></Style>',
    ...marks,
    '</Document></kml>',
    '',
  ].join('\n');
}
