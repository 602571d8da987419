#include "sandbox_pages.hpp"

#include <chrono>

#include <curl/curl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/time_format.hpp"
#include "sandbox_provider.hpp"

namespace orderstream::payment {
namespace {

constexpr std::string_view kCheckoutPrefix = "/sandbox/checkout/";
constexpr std::string_view kPortalPrefix = "/sandbox/portal/";

bool IsSessionId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

std::string Escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string Amount(std::int64_t cents, const std::string& currency) {
    auto sign = cents < 0 ? "-" : "";
    auto magnitude = cents < 0 ? -cents : cents;
    auto fraction = std::to_string(magnitude % 100);
    if (fraction.size() < 2) fraction = "0" + fraction;
    return sign + std::to_string(magnitude / 100) + "." + fraction + " " + Escape(currency);
}

http::Response Page(int status, const std::string& title, const std::string& body) {
    http::Response response;
    response.status = status;
    response.content_type = "text/html; charset=utf-8";
    response.headers.emplace_back("Cache-Control", "no-store");
    // Never inside another site's frame: a framed Pay button could be clicked by deception.
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; "
                                  "frame-ancestors 'none'");
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.body =
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + Escape(title) +
        "</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}"
        ".num{text-align:right}button{font-size:1rem;padding:.5rem 1.5rem;margin-right:1rem}"
        ".note{color:#666}</style></head><body><p class=\"note\">OrderStream payment sandbox: no money moves.</p><h1>" +
        Escape(title) + "</h1>" + body + "</body></html>";
    return response;
}

struct CompletedSession {
    SandboxPayment payment;
    std::string return_url;
    std::string body;        // the payment's webhook
    std::string webhook_id;
};

}  // namespace

SandboxPages::SandboxPages(pg::Pool& pool, Ledger& ledger, SandboxWebhooks& webhooks)
    : pool_(pool), ledger_(ledger), webhooks_(webhooks) {
    pool_.Prepare("sandbox_checkout_view",
                  "SELECT s.amount_cents, s.currency, s.metadata->>'order_id' AS order_id, s.completed_status, "
                  "s.expires_at > now() AS open, c.name AS customer_name FROM sandbox_sessions s "
                  "JOIN sandbox_customers c ON c.id = s.customer_id WHERE s.id = $1 AND s.kind = 'checkout'");
    // The lines the checkout was created with: the order's own snapshot.
    pool_.Prepare("sandbox_checkout_lines",
                  "SELECT l.name, l.quantity, l.unit_price_cents FROM sandbox_sessions s "
                  "CROSS JOIN LATERAL jsonb_to_recordset(s.cart) AS l(name text, quantity int, unit_price_cents bigint) "
                  "WHERE s.id = $1");
    pool_.Prepare("sandbox_complete",
                  "UPDATE sandbox_sessions s SET completed_status = $2, payment_id = $3 FROM sandbox_customers c "
                  "WHERE s.id = $1 AND s.kind = 'checkout' AND s.completed_status IS NULL AND s.expires_at > now() "
                  "AND c.id = s.customer_id RETURNING s.customer_id, c.email, c.name, "
                  "s.metadata::text AS metadata, s.return_url, s.amount_cents, s.currency");
    pool_.Prepare("sandbox_portal_view",
                  "SELECT s.customer_id, s.return_url, s.expires_at > now() AS open, c.name FROM sandbox_sessions s "
                  "JOIN sandbox_customers c ON c.id = s.customer_id WHERE s.id = $1 AND s.kind = 'portal'");
}

SandboxPages::~SandboxPages() { Stop(); }

void SandboxPages::Stop() { completions_.Stop(); }

bool SandboxPages::Handle(const http::Request& request, const http::Respond& respond) {
    auto path = request.Path();
    if (path.starts_with(kPortalPrefix)) {
        std::string id(path.substr(kPortalPrefix.size()));
        if (request.method != "GET") {
            respond(http::Response::Text(405, "use GET"));
        } else if (!IsSessionId(id)) {
            respond(Page(404, "Session not found", "<p>There is no such portal session.</p>"));
        } else {
            respond(PortalPage(id));
        }
        return true;
    }
    if (!path.starts_with(kCheckoutPrefix)) return false;
    std::string rest(path.substr(kCheckoutPrefix.size()));
    std::string action;
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        action = rest.substr(slash + 1);
        rest.resize(slash);
    }
    if (!IsSessionId(rest) || (!action.empty() && action != "pay" && action != "decline")) {
        respond(Page(404, "Checkout not found", "<p>There is no such checkout session.</p>"));
        return true;
    }
    if (action.empty()) {
        if (request.method != "GET") {
            respond(http::Response::Text(405, "use GET"));
        } else {
            respond(CheckoutPage(rest));
        }
        return true;
    }
    if (request.method != "POST") {
        respond(http::Response::Text(405, "use POST"));
        return true;
    }
    bool pay = action == "pay";
    auto completion = [this, id = std::move(rest), pay, respond] {
        try {
            respond(Complete(id, pay));
        } catch (const std::exception& e) {
            spdlog::error("sandbox checkout {}: {}", id, e.what());
            respond(Page(503, "Try again", "<p>The sandbox could not complete this checkout right now.</p>"));
        }
    };
    if (!completions_.Submit(std::move(completion))) respond(http::Response::Text(503, "shutting down"));
    return true;
}

http::Response SandboxPages::CheckoutPage(const std::string& session_id) {
    return pool_.Autocommit([&](pqxx::nontransaction& tx) {
        auto rows = tx.exec_prepared("sandbox_checkout_view", session_id);
        if (rows.empty()) return Page(404, "Checkout not found", "<p>There is no such checkout session.</p>");
        const auto& session = rows[0];
        auto currency = session["currency"].as<std::string>();
        auto order_id = session["order_id"].is_null() ? std::string("?") : session["order_id"].as<std::string>();
        std::string body = "<p>" + Escape(session["customer_name"].as<std::string>()) + ", order " + Escape(order_id) +
                           "</p><table><tr><th>Product</th><th class=\"num\">Quantity</th><th class=\"num\">Price</th></tr>";
        for (const auto& line : tx.exec_prepared("sandbox_checkout_lines", session_id)) {
            body += "<tr><td>" + Escape(line["name"].as<std::string>()) + "</td><td class=\"num\">" +
                    std::to_string(line["quantity"].as<int>()) + "</td><td class=\"num\">" +
                    Amount(line["unit_price_cents"].as<std::int64_t>(), currency) + "</td></tr>";
        }
        body += "<tr><th>Total</th><th></th><th class=\"num\" id=\"total\">" +
                Amount(session["amount_cents"].as<std::int64_t>(), currency) + "</th></tr></table>";
        if (!session["completed_status"].is_null()) {
            body += "<p>This checkout is already " + Escape(session["completed_status"].as<std::string>()) + ".</p>";
        } else if (!session["open"].as<bool>()) {
            body += "<p>This checkout has expired.</p>";
        } else {
            auto base = std::string(kCheckoutPrefix) + session_id;
            body += "<form method=\"post\" action=\"" + base + "/pay\" style=\"display:inline\"><button>Pay " +
                    Amount(session["amount_cents"].as<std::int64_t>(), currency) +
                    "</button></form><form method=\"post\" action=\"" + base +
                    "/decline\" style=\"display:inline\"><button>Decline</button></form>";
        }
        return Page(200, "Checkout", body);
    });
}

http::Response SandboxPages::Complete(const std::string& session_id, bool pay) {
    auto payment_id = SandboxId("pay_");
    auto completed = pool_.Transact([&](pqxx::work& tx) -> std::optional<CompletedSession> {
        auto rows = tx.exec_prepared("sandbox_complete", session_id, pay ? "succeeded" : "failed", payment_id);
        if (rows.empty()) return std::nullopt;
        const auto& row = rows[0];
        CompletedSession session;
        session.payment.session_id = session_id;
        session.payment.payment_id = payment_id;
        session.payment.paid = pay;
        session.payment.customer_id = row["customer_id"].as<std::string>();
        session.payment.email = row["email"].as<std::string>();
        session.payment.name = row["name"].as<std::string>();
        session.payment.metadata_json = row["metadata"].as<std::string>();
        session.payment.amount_cents = row["amount_cents"].as<std::int64_t>();
        session.payment.currency = row["currency"].as<std::string>();
        session.return_url = row["return_url"].as<std::string>();
        // The money is taken (or the attempt failed) in this transaction, and the notification
        // is queued with it: whatever happens next, the payment service hears of it.
        session.body = PaymentEventBody(session.payment);
        session.webhook_id = SandboxWebhooks::Queue(tx, session.body, std::chrono::seconds(10));
        return session;
    });
    if (!completed) {
        auto page = CheckoutPage(session_id);
        if (page.status == 200) page.status = 409;  // already completed or expired: the page says which
        return page;
    }
    if (auto delivered = webhooks_.DeliverNow(completed->webhook_id, completed->body); !delivered.ok()) {
        spdlog::warn("sandbox checkout {}: payment {} {}, its webhook is queued for retry", session_id, payment_id,
                     pay ? "taken" : "declined");
    }
    auto target = completed->return_url;
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += "payment_id=" + payment_id + "&status=" + (pay ? "succeeded" : "failed");
    http::Response redirect;
    redirect.status = 303;
    redirect.headers.emplace_back("Location", target);
    redirect.body = "See " + target;
    return redirect;
}

http::Response SandboxPages::PortalPage(const std::string& session_id) {
    auto rows = pool_.Autocommit(
        [&](pqxx::nontransaction& tx) { return tx.exec_prepared("sandbox_portal_view", session_id); });
    if (rows.empty() || !rows[0]["open"].as<bool>()) {
        return Page(404, "Session not found", "<p>There is no such portal session, or it has expired.</p>");
    }
    auto customer_id = rows[0]["customer_id"].as<std::string>();
    std::string body = "<p>" + Escape(rows[0]["name"].as<std::string>()) +
                       "</p><table id=\"transactions\"><tr><th>Date</th><th>Order</th><th>Payment</th><th>Status</th>"
                       "<th class=\"num\">Amount</th></tr>";
    for (const auto& transaction : ledger_.TransactionsOfCustomer(customer_id, 100)) {
        body += "<tr><td>" + Escape(transaction.created_at) + "</td><td>" + std::to_string(transaction.order_id) +
                "</td><td>" + Escape(transaction.payment_id) + "</td><td>" + Escape(transaction.status) +
                "</td><td class=\"num\">" + Amount(transaction.amount_cents, transaction.currency) + "</td></tr>";
    }
    body += "</table>";
    auto return_url = rows[0]["return_url"].as<std::string>();
    if (!return_url.empty()) body += "<p><a href=\"" + Escape(return_url) + "\">Return</a></p>";
    return Page(200, "Your payments", body);
}

}  // namespace orderstream::payment
