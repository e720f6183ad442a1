// bench_make_library: builds a large synthetic Zotero library for benchmarking the reader.
// Clones the schema and type/field tables of a real library, drops its items, and fills it with
// papers from corpus JSONL files (repeated as needed): regular items with title, abstract, date,
// URL, authors, tags, collections, plus child notes, attachments and trashed items.
// usage: bench_make_library TEMPLATE.sqlite OUT.sqlite ITEMS CORPUS.jsonl...
#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct paper {
    std::string id, title, abstract, date;
    std::vector<std::string> categories;
};

std::vector<paper> load_corpus(const std::vector<std::string>& files) {
    std::vector<paper> out;
    for (const auto& f : files) {
        std::ifstream in(f);
        for (std::string line; std::getline(in, line);) {
            const json::object o = json::parse(line).as_object();
            paper p{json::value_to<std::string>(o.at("id")),
                    json::value_to<std::string>(o.at("title")),
                    json::value_to<std::string>(o.at("abstract")),
                    json::value_to<std::string>(o.at("date")),
                    {}};
            if (const auto* c = o.if_contains("categories"); c && c->is_array())
                for (const auto& v : c->as_array())
                    p.categories.push_back(json::value_to<std::string>(v));
            out.push_back(std::move(p));
        }
    }
    return out;
}

std::int64_t id_of(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement q(db, sql);
    if (!q.executeStep())
        throw std::runtime_error("template lacks: " + sql);
    return q.getColumn(0).getInt64();
}

std::string item_key(std::int64_t n) {
    static const char alphabet[] = "23456789ABCDEFGHIJKLMNPQRSTUVWXYZ";
    std::string key(8, '2');
    for (int i = 7; i >= 0; --i, n /= 33)
        key[static_cast<std::size_t>(i)] = alphabet[n % 33];
    return key;
}

class builder {
public:
    explicit builder(SQLite::Database& db)
        : db_(db), item_(db, "INSERT INTO items (itemID, itemTypeID, libraryID, key, dateModified) "
                             "VALUES (?, ?, 1, ?, '2025-01-01 00:00:00')"),
          data_(db, "INSERT INTO itemData (itemID, fieldID, valueID) VALUES (?, ?, ?)"),
          value_(db, "INSERT INTO itemDataValues (valueID, value) VALUES (?, ?)"),
          tag_(db, "INSERT OR IGNORE INTO tags (tagID, name) VALUES (?, ?)"),
          item_tag_(db, "INSERT INTO itemTags (itemID, tagID, type) VALUES (?, ?, ?)"),
          creator_(db, "INSERT INTO itemCreators (itemID, creatorID, creatorTypeID, orderIndex) "
                       "VALUES (?, ?, ?, ?)"),
          note_(db,
                "INSERT INTO itemNotes (itemID, parentItemID, note, title) VALUES (?, ?, ?, '')"),
          attachment_(db,
                      "INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType) "
                      "VALUES (?, ?, 1, 'application/pdf')"),
          collection_item_(db, "INSERT INTO collectionItems (collectionID, itemID) VALUES (?, ?)"),
          trash_(db, "INSERT INTO deletedItems (itemID) VALUES (?)") {}

    std::int64_t item(std::int64_t type) {
        const std::int64_t id = ++next_item_;
        run(item_, id, type, item_key(id * 7919 % 1291467969));
        return id;
    }
    void field(std::int64_t item, std::int64_t field, const std::string& value) {
        auto [it, fresh] =
            values_.try_emplace(value, static_cast<std::int64_t>(values_.size() + 1));
        if (fresh)
            run(value_, it->second, value);
        run(data_, item, field, it->second);
    }
    void tag(std::int64_t item, const std::string& name, int type) {
        auto [it, fresh] = tags_.try_emplace(name, static_cast<std::int64_t>(tags_.size() + 1));
        if (fresh)
            run(tag_, it->second, name);
        run(item_tag_, item, it->second, type);
    }
    template <class... A> void run(SQLite::Statement& s, const A&... args) {
        int i = 0;
        (s.bind(++i, args), ...);
        s.exec();
        s.reset();
    }
    SQLite::Database& db_;
    SQLite::Statement item_, data_, value_, tag_, item_tag_, creator_, note_, attachment_,
        collection_item_, trash_;
    std::int64_t next_item_ = 0;
    std::unordered_map<std::string, std::int64_t> values_, tags_;
};

void clear_user_data(SQLite::Database& db) {
    for (const char* t : {"items", "itemData", "itemDataValues", "itemCreators", "creators",
                          "itemTags", "tags", "collectionItems", "collections", "itemNotes",
                          "itemAttachments", "itemAnnotations", "deletedItems", "itemRelations",
                          "fulltextItems", "fulltextItemWords", "fulltextWords", "syncCache"})
        if (db.tableExists(t))
            db.exec(std::string("DELETE FROM ") + t);
}

void fill(SQLite::Database& db, const std::vector<paper>& papers, std::int64_t n) {
    const auto type = [&](const char* name) {
        return id_of(db,
                     std::string("SELECT itemTypeID FROM itemTypes WHERE typeName='") + name + "'");
    };
    const auto fid = [&](const char* name) {
        return id_of(db, std::string("SELECT fieldID FROM fields WHERE fieldName='") + name + "'");
    };
    const std::int64_t preprint = type("preprint"), article = type("journalArticle"),
                       note = type("note"), attachment = type("attachment");
    const std::int64_t title = fid("title"), abstract = fid("abstractNote"), date = fid("date"),
                       url = fid("url"), extra = fid("extra"), venue = fid("publicationTitle");
    const std::int64_t author =
        id_of(db, "SELECT creatorTypeID FROM creatorTypes WHERE creatorType='author'");
    for (int c = 1; c <= 2000; ++c)
        db.exec("INSERT INTO creators (creatorID, firstName, lastName, fieldMode) VALUES (" +
                std::to_string(c) + ", 'A." + std::to_string(c % 26) + "', 'Author" +
                std::to_string(c) + "', 0)");
    for (int c = 1; c <= 20; ++c)
        db.exec("INSERT INTO collections (collectionID, collectionName, libraryID, key) VALUES (" +
                std::to_string(c) + ", 'Collection " + std::to_string(c) + "', 1, 'COLL" +
                std::to_string(1000 + c) + "')");
    builder b(db);
    for (std::int64_t k = 0; k < n; ++k) {
        const paper& p = papers[static_cast<std::size_t>(k) % papers.size()];
        const std::int64_t round = k / static_cast<std::int64_t>(papers.size());
        const std::string copy = round ? " [copy " + std::to_string(round) + "]" : "";
        const std::int64_t item = b.item(k % 3 ? preprint : article);
        b.field(item, title, p.title + copy);
        b.field(item, abstract,
                (k % 7 ? p.abstract : "<jats:p>" + p.abstract + "</jats:p>") + copy);
        b.field(item, date, p.date);
        b.field(item, url, "http://arxiv.org/abs/" + p.id);
        b.field(item, extra, "arXiv:" + p.id + copy);
        if (k % 3 == 0)
            b.field(item, venue, "Journal of Benchmarks");
        for (std::int64_t a = 0; a < 1 + k % 5; ++a)
            b.run(b.creator_, item, 1 + (k * 31 + a * 17) % 2000, author, a);
        for (const auto& c : p.categories)
            b.tag(item, c, 1);
        if (k % 4 == 0)
            b.tag(item, "to-read", 0);
        if (k % 5 == 0)
            b.run(b.collection_item_, 1 + k % 20, item);
        if (k % 10 == 0)
            b.run(b.note_, b.item(note), item, "<div><p>Note on " + p.id + "</p></div>");
        if (k % 3 == 0)
            b.run(b.attachment_, b.item(attachment), item);
        if (k % 50 == 0)
            b.run(b.trash_, item);
    }
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 5) {
        std::cerr << "usage: bench_make_library TEMPLATE.sqlite OUT.sqlite ITEMS CORPUS.jsonl...\n";
        return 2;
    }
    const std::vector<paper> papers = load_corpus({argv + 4, argv + argc});
    if (papers.empty())
        throw std::runtime_error("empty corpus");
    const fs::path out = argv[2];
    fs::create_directories(out.parent_path());
    fs::copy_file(argv[1], out, fs::copy_options::overwrite_existing);
    fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    SQLite::Database db(out.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF;"
            "PRAGMA cache_size=-400000");
    db.exec("BEGIN");
    clear_user_data(db);
    fill(db, papers, std::stoll(argv[3]));
    db.exec("COMMIT");
    db.exec("PRAGMA journal_mode=DELETE");
    std::cout << "wrote " << out << " (" << fs::file_size(out) / 1000000 << " MB)\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_make_library: " << e.what() << '\n';
    return 1;
}
