/**
 * The standalone HTML report's page (dist/report.js, inlined by
 * extension/format/htmlReport.ts): the in-page host, then the panel page
 * itself, unchanged. The order of these imports is the order they run in: the
 * host must stand in for `acquireVsCodeApi` before the panel starts.
 */
import './reportHost';
import '../main';
import './themes.css';
import './report.css';
