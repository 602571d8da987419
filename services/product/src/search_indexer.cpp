#include "search_indexer.hpp"

#include <rapidjson/document.h>

#include "indexed_products.hpp"

namespace orderstream::product {

SearchIndexer::SearchIndexer(SearchIndex& index) : index_(index) {}

Status SearchIndexer::Apply(pqxx::work& tx, const events::Envelope& event) {
    if (event.type != "product_created" && event.type != "product_updated" && event.type != "product_deleted") {
        return Status::Ok();  // not a catalog change
    }
    rapidjson::Document data;
    data.Parse(event.data.c_str(), event.data.size());
    if (data.HasParseError() || !data.IsObject()) return Error::InvalidArgument(event.type + ": data is not an object");
    auto id = data.FindMember("product_id");
    if (id == data.MemberEnd() || !id->value.IsString() || id->value.GetStringLength() == 0) {
        return Error::InvalidArgument(event.type + ": product_id must be a non-empty string");
    }
    auto current = IndexedProducts::Current(tx, std::string(id->value.GetString(), id->value.GetStringLength()));
    // Not in this database: an event of another catalog sharing the topic; nothing of ours to index.
    if (!current) return Status::Ok();
    if (current->deleted) {
        return index_.Remove(index_.alias(), current->product.record.id, current->product.version);
    }
    return index_.Put(index_.alias(), current->product);
}

}  // namespace orderstream::product
