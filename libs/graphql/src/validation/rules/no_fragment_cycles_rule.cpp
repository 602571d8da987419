#include <map>
#include <set>

#include "rules.hpp"

namespace orderstream::graphql::detail {
namespace {

// Spec 5.5.2.2: fragment spreads form no cycles (a depth-first search, as in the reference).
class NoFragmentCyclesRule : public ValidationRule {
public:
    explicit NoFragmentCyclesRule(ValidationContext& context) : context_(context) {}
    void enter_fragment_definition(const ast::FragmentDefinition& fragment) override { detect_cycles(fragment); }

private:
    void detect_cycles(const ast::FragmentDefinition& fragment) {
        const std::string_view name = fragment.name.value;
        if (!visited_.insert(name).second) return;
        const auto& spreads = context_.fragment_spreads(fragment.selection_set);
        if (spreads.empty()) return;
        path_index_[name] = spread_path_.size();
        for (const ast::Selection* spread : spreads) {
            const std::string_view spread_name = spread->name.value;
            const auto cycle = path_index_.find(spread_name);
            spread_path_.push_back(spread);
            if (cycle == path_index_.end()) {
                if (const auto* target = context_.fragment(spread_name)) detect_cycles(*target);
            } else {
                std::vector<ast::Loc> nodes;
                std::string via;
                for (std::size_t i = cycle->second; i < spread_path_.size(); ++i) {
                    nodes.push_back(spread_path_[i]->loc);
                    if (i + 1 < spread_path_.size()) {
                        via += (via.empty() ? "" : ", ") + std::string("\"") + std::string(spread_path_[i]->name.value) + "\"";
                    }
                }
                context_.report("Cannot spread fragment \"" + std::string(spread_name) + "\" within itself" +
                                    (via.empty() ? "." : " via " + via + "."),
                                std::move(nodes));
            }
            spread_path_.pop_back();
        }
        path_index_.erase(name);
    }

    ValidationContext& context_;
    std::set<std::string_view> visited_;
    std::vector<const ast::Selection*> spread_path_;
    std::map<std::string_view, std::size_t> path_index_;
};

}  // namespace

RulePtr make_no_fragment_cycles_rule(ValidationContext& context) { return std::make_unique<NoFragmentCyclesRule>(context); }

}  // namespace orderstream::graphql::detail
