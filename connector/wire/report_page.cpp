#include "connector/wire/report_page.hpp"

#include <boost/json/serialize.hpp>

namespace sieve {

namespace {

std::string html_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

// No fetch, frame, form, font or image from anywhere; inline script and style only. Links
// (zotero://select/...) are navigations, which the policy leaves alone.
constexpr std::string_view csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'";

void add_script(std::string& out, std::string_view js) {
    out += "<script>";
    out += js;
    out += "</script>\n";
}

// The first line of a library's file without its "// ": name, version and copyright.
std::string_view banner(std::string_view js) {
    js = js.substr(0, js.find('\n'));
    return js.starts_with("// ") ? js.substr(3) : js;
}

// The bundled libraries' licence texts (ISC: the notice goes with every copy).
std::string licences() {
    std::string out = "<footer><details><summary>The charting libraries in this page and their "
                      "licences</summary>\n";
    for (auto [js, licence] :
         {std::pair{embedded_report_d3_js(), embedded_report_d3_license()},
          std::pair{embedded_report_plot_js(), embedded_report_plot_license()}}) {
        out += "<p>" + html_text(banner(js)) + "</p><pre>" + html_text(licence) + "</pre>\n";
    }
    out += "</details></footer>\n";
    return out;
}

} // namespace

std::string script_safe_json(std::string_view json) {
    std::string out;
    out.reserve(json.size() + json.size() / 16);
    for (char ch : json) {
        if (ch == '<')
            out += "\\u003c";
        else
            out += ch;
    }
    return out;
}

std::string render_report_page(const boost::json::object& data) {
    std::string title = "Sieve report";
    if (const auto* m = data.if_contains("meta"); m && m->is_object())
        if (const auto* t = m->get_object().if_contains("title"); t && t->is_string())
            title += " \u2014 " + std::string(t->get_string());
    std::string out;
    out.reserve(embedded_report_d3_js().size() + embedded_report_plot_js().size() + (1u << 16));
    out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    out += csp;
    out += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<meta name=\"color-scheme\" content=\"light dark\">\n<title>";
    out += html_text(title);
    out += "</title>\n<style>\n";
    out += embedded_report_page_css();
    out += "</style>\n</head>\n<body>\n<main id=\"report\" aria-busy=\"true\">"
           "<h1>" +
           html_text(title) +
           "</h1>"
           "<noscript><p>This report draws its charts with JavaScript; allow scripts for this "
           "file to see them.</p></noscript></main>\n";
    out += licences();
    out += "<script type=\"application/json\" id=\"sieve-report-data\">";
    out += script_safe_json(boost::json::serialize(data));
    out += "</script>\n";
    add_script(out, embedded_report_d3_js());
    add_script(out, embedded_report_plot_js());
    add_script(out, embedded_report_page_js());
    out += "</body>\n</html>\n";
    return out;
}

} // namespace sieve
