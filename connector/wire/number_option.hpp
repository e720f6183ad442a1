// Strict integer command-line options for Boost.Program_options. po::value<unsigned>() reads
// "-1" as the type's maximum ("--port -1" listened on 65535, "--port -65535" on 1):
// integer_option takes the text instead and accepts only an optional '-' and decimal digits
// whose value lies in [lo, hi]; anything else is a po::error naming the option and its range:
// "--port must be an integer from 0 to 65535 (got '-1')".
#pragma once
#include <boost/program_options/errors.hpp>
#include <boost/program_options/value_semantic.hpp>

#include <charconv>
#include <string>

namespace sieve {

// A value for `--name` that stores into `out` (whose current value is the default) at
// po::notify.
template <class T>
boost::program_options::typed_value<std::string>* integer_option(T& out, const char* name,
                                                                 long long lo, long long hi) {
    namespace po = boost::program_options;
    return po::value<std::string>()
        ->default_value(std::to_string(out))
        ->notifier([&out, name, lo, hi](const std::string& text) {
            long long v = 0;
            const char* end = text.data() + text.size();
            auto [stop, ec] = std::from_chars(text.data(), end, v);
            if (text.empty() || ec != std::errc() || stop != end || v < lo || v > hi)
                throw po::error(std::string("--") + name + " must be an integer from " +
                                std::to_string(lo) + " to " + std::to_string(hi) + " (got '" +
                                text + "')");
            out = static_cast<T>(v);
        });
}

} // namespace sieve
