#include "classifier/field_reasons.hpp"

#include "classifier/ascii.hpp"

#include <algorithm>

namespace sieve {

namespace {

struct rule {
    const char* name;
    const char* keys;     // '|'-separated: any of these in the reason names the field
    const char* excludes; // '|'-separated: unless one of these is there too
};

// Rule order is the heads' order. A reason is lower-cased and padded with a space each side,
// so " ct " matches the word alone. The excludes keep a method's name from naming a field
// ("physics-informed" networks, "energy-efficient" kernels, a "teacher-student" setup).
constexpr rule rules[] = {
    {"Medical Imaging",
     "medical imag|medical-imag|biomedical imag|clinical imag|radiolog|patholog| mri|ct scan|"
     " ct |x-ray|ultrasound|neuroimag|histopath|whole-slide|dermatolog|fundus|retinal|"
     "endoscop|mammogra|ophthalm|lesion",
     ""},
    {"Medicine and Health",
     "medical|medicine|clinical|health|biomedical|patient| ehr|disease|diagnos|hospital| ecg|"
     "surgical|surgery|mental|cancer",
     "structural health|health monitoring|fault diagnos"},
    {"Neuroscience",
     "neurosci|brain| eeg| meg|fmri| bci|neural decod|neural activity|spike train|neuronal|"
     "neural recording",
     "brain-inspired|brain-like"},
    {"Biology",
     "biolog|bioinformatic|protein|genom|gene |genes|genetic|single-cell|omics| dna| rna|"
     "microscop|ecolog|species|enzyme|antibod",
     "biologically|bio-inspired|genetic algorithm|genetic programming"},
    {"Chemistry and Materials",
     "chemi|molecul|materials|crystal|drug discovery|catalys|polymer",
     ""},
    {"Remote Sensing",
     "remote sens|remote-sens|earth observation|earth-observation|satellite|hyperspectral|"
     "aerial| sar ",
     ""},
    {"Earth and Climate Science",
     "climate|weather|geoscien|seismic|ocean|hydrolog|earth system|atmospher|precipitation|"
     "flood|wildfire|geophys|geolog",
     ""},
    {"Astronomy",
     "astronom|astrophys|cosmolog|galax|telescope",
     ""},
    {"Physics",
     "physics|particle|nuclear|plasma|condensed matter|collider",
     "physics-informed|physics informed|physics-guided|physics-based|particle swarm|"
     "particle filter"},
    {"Quantum Computing",
     "quantum",
     ""},
    {"Scientific Computing and Engineering",
     "scientific comput|scientific-comput|scientific ml|scientific-ml| pde|fluid| cfd|"
     "physics-informed|finite element|turbulen|numerical simulation|physics simulation|"
     "mechanical|civil engineering|aerospace|surrogate model",
     ""},
    {"Economics and Finance",
     "financ|stock|trading|econom|portfolio|credit|fraud|market|banking|insurance",
     ""},
    {"Robotics",
     "robot|manipulation|embodied|locomotion|drone| uav|quadruped|grasp",
     ""},
    {"Transportation and Autonomous Driving",
     "autonomous driving|autonomous-driving|self-driving|driving|traffic|transportation|"
     "vehicle|railway|aviation",
     "network traffic"},
    {"Time Series and Forecasting",
     "time-series|time series|forecast",
     ""},
    {"Speech and Audio",
     "speech|audio|music|acoustic|sound|speaker",
     ""},
    {"Security and Privacy",
     "security|intrusion|malware|cyber|attack detection|vulnerab|phishing|privacy",
     ""},
    {"Networking",
     "telecom|networking|network traffic| 5g| 6g| iot|internet of things|network management",
     ""},
    {"Signal Processing and Communications",
     "wireless|ofdm|mimo|channel estimation|communication system|signal processing|"
     "signal-processing|radar|beamform",
     ""},
    {"Information Retrieval and Recommendation",
     "recommend|retrieval|search engine",
     "retrieval-augmented"},
    {"Human-Computer Interaction",
     " hci|human-computer|user interface|accessibility|assistive",
     ""},
    {"Education",
     "educat|tutor|students|classroom",
     ""},
    {"Software Engineering and Programming Languages",
     "software|code generation|code-generation|program repair| bug|compiler|programming",
     ""},
    {"Energy",
     "energy system|power grid|battery|solar|electricity|power system|wind power|wind turbine|"
     "smart grid|load forecasting",
     ""},
    {"Industry and Manufacturing",
     "industrial|manufactur|fault diagnos|predictive maintenance|structural health",
     ""},
};

// Whether text holds one of the '|'-separated keys.
bool has_any(const std::string& text, std::string_view keys) {
    while (!keys.empty()) {
        const auto bar = keys.find('|');
        if (text.find(keys.substr(0, bar)) != std::string::npos) return true;
        if (bar == std::string_view::npos) return false;
        keys.remove_prefix(bar + 1);
    }
    return false;
}

bool names(const rule& r, const std::string& text) {
    return has_any(text, r.keys) && !has_any(text, r.excludes);
}

} // namespace

const std::vector<std::string>& reason_field_names() {
    static const std::vector<std::string> n = [] {
        std::vector<std::string> v;
        for (const auto& r : rules) v.emplace_back(r.name);
        return v;
    }();
    return n;
}

std::vector<bool> reason_fields(const std::vector<std::string>& reasons) {
    std::vector<std::string> texts;
    for (const auto& s : reasons) {
        std::string t(1, ' ');
        t.append(lower_ascii(s)).push_back(' ');
        texts.push_back(std::move(t));
    }
    std::vector<bool> out;
    for (const auto& r : rules)
        out.push_back(std::any_of(texts.begin(), texts.end(),
                                  [&](const std::string& t) { return names(r, t); }));
    return out;
}

} // namespace sieve
