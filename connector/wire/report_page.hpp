// The page of `sieve report`: one self-contained HTML file. The report data (report_data.hpp) goes
// in as JSON inside <script type="application/json">; D3 and Observable Plot (npm, report/
// package-lock.json) and the page's own script and style (report/src/) are inlined, compiled into
// the binary (connector/CMakeLists.txt). A Content-Security-Policy meta tag allows no connection,
// so the page loads nothing when viewed. The libraries' licences are in the page's footer. Pure.
#pragma once
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace sieve {

// The inlined files (report/node_modules/... and report/src/..., embedded at build time).
std::string_view embedded_report_d3_js();        // d3/dist/d3.min.js
std::string_view embedded_report_plot_js();      // @observablehq/plot/dist/plot.umd.min.js
std::string_view embedded_report_page_js();      // report/src/report.js
std::string_view embedded_report_page_css();     // report/src/report.css
std::string_view embedded_report_d3_license();   // d3/LICENSE (ISC)
std::string_view embedded_report_plot_license(); // @observablehq/plot/LICENSE (ISC)

// The HTML page for `data` (build_report_data). Text from the library reaches the page only as
// JSON with every '<' escaped, and the page script inserts it as text, never as markup.
std::string render_report_page(const boost::json::object& data);

// `json` made safe inside <script>: every '<' becomes \u003c (JSON text stays equivalent).
std::string script_safe_json(std::string_view json);

} // namespace sieve
