#include "refund_worker.hpp"

#include <spdlog/spdlog.h>

#include "ledger.hpp"
#include "orderstream/core/metrics.hpp"

namespace orderstream::payment {
namespace {

struct Claimed {
    std::int64_t id = 0;
    std::string payment_id;
    std::int64_t amount_cents = 0;
    std::string currency;
    std::string reason;
    int attempts = 0;
    std::uint64_t order_id = 0;
};

metrics::Counter& Sent(const char* outcome) {
    return metrics::Registry::Global().GetCounter("orderstream_payment_refund_requests_total",
                                                  "Refund requests sent to the provider, by outcome",
                                                  {{"outcome", outcome}});
}

}  // namespace

RefundWorker::RefundWorker(pg::Pool& pool, PaymentProvider& provider, RefundWorkerOptions options)
    : pool_(pool), provider_(provider), options_(options),
      loop_("refund worker", options.poll_interval, [this] { RunOnce(); }) {}

RefundWorker::~RefundWorker() { Stop(); }

std::size_t RefundWorker::RunOnce() {
    auto claimed = pool_.Transact([&](pqxx::work& tx) {
        std::vector<Claimed> due;
        for (const auto& row : tx.exec_params(
                 "UPDATE refunds r SET attempts = r.attempts + 1, next_attempt_at = now() + $1 * interval '1 millisecond' "
                 "FROM transactions t WHERE t.id = r.transaction_id AND r.id IN (SELECT id FROM refunds "
                 "WHERE status = 'requested' AND next_attempt_at <= now() ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED) "
                 "RETURNING r.id, r.payment_id, r.amount_cents, r.currency, r.reason, r.attempts, t.order_id",
                 static_cast<std::int64_t>(options_.lease.count()))) {
            due.push_back({row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                           row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<int>(),
                           row[6].as<std::uint64_t>()});
        }
        return due;
    });
    std::size_t sent = 0;
    for (const auto& request : claimed) {
        auto receipt = provider_.CreateRefund({request.payment_id, request.amount_cents, request.reason});
        pool_.Transact([&](pqxx::work& tx) {
            if (receipt.ok()) {
                // A webhook may have settled it already; never move it back.
                tx.exec_params0(
                    "UPDATE refunds SET status = 'pending', refund_id = COALESCE(refund_id, $2), last_error = NULL, "
                    "updated_at = now() WHERE id = $1 AND status = 'requested'",
                    request.id, receipt->refund_id);
                return;
            }
            if (receipt.error().code == ErrorCode::kUnavailable) {
                auto delay = std::min<std::chrono::milliseconds>(
                    std::chrono::milliseconds(1000) * (1LL << std::min(request.attempts, 12)), options_.max_backoff);
                tx.exec_params0(
                    "UPDATE refunds SET last_error = $2, next_attempt_at = now() + $3 * interval '1 millisecond', "
                    "updated_at = now() WHERE id = $1 AND status = 'requested'",
                    request.id, receipt.error().message, static_cast<std::int64_t>(delay.count()));
                return;
            }
            tx.exec_params0(
                "UPDATE refunds SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1 "
                "AND status = 'requested'",
                request.id, receipt.error().message);
            AnomalyRecord anomaly;
            anomaly.kind = "refund_refused";
            anomaly.detail = "the provider refused to refund payment " + request.payment_id + ": " +
                             receipt.error().message;
            if (request.order_id != 0) anomaly.order_id = request.order_id;
            anomaly.payment_id = request.payment_id;
            anomaly.amount_cents = request.amount_cents;
            anomaly.currency = request.currency;
            anomaly.action = "none: refund it at the provider by hand";
            Ledger::RecordAnomaly(tx, anomaly);
        });
        if (receipt.ok()) {
            ++sent;
            Sent("sent").Increment();
            spdlog::info("refund of payment {} requested at the provider: {} ({})", request.payment_id,
                         receipt->refund_id, receipt->status);
        } else if (receipt.error().code == ErrorCode::kUnavailable) {
            Sent("retried").Increment();
            spdlog::warn("refund of payment {} not sent, will retry: {}", request.payment_id, receipt.error().message);
        } else {
            Sent("refused").Increment();
            spdlog::error("refund of payment {} refused by the provider: {}", request.payment_id,
                          receipt.error().message);
        }
    }
    return sent;
}

}  // namespace orderstream::payment
