// The page's geodesy is the project's one geo module (@simhound/geo: WGS-84 through GeographicLib),
// built for the browser and served by the collector under vendor/simhound-geo/. Nothing is computed here.
export * from './vendor/simhound-geo/simhound-geo.js';
