#include "credstack/app/issuer_services.h"

#include <utility>

namespace credstack::app {

Result<std::shared_ptr<IssuerServices>> CreateIssuerServices(
    std::shared_ptr<AppContext> ctx, IssuerServicesOptions options) {
  if (ctx == nullptr || ctx->store == nullptr || ctx->rng == nullptr) {
    return InvalidArgumentError("issuer services need a store and an rng");
  }
  if (options.master_key == nullptr) {
    return InvalidArgumentError("issuer services need a master key");
  }
  auto s = std::make_shared<IssuerServices>();
  s->ctx = ctx;
  s->operator_token_hash = options.operator_token_hash;
  s->keys = std::make_shared<KeyService>(
      KeyServiceOptions{.store = ctx->store,
                        .urls = ctx->urls,
                        .master_key = options.master_key,
                        .clock = ctx->clock,
                        .rng = ctx->rng});
  s->documents = std::make_shared<OwnDocumentResolver>(ctx->store, ctx->urls);
  ctx->signers = s->keys;
  ctx->documents = s->documents;
  s->orgs = std::make_shared<OrganizationService>(ctx, s->keys);
  s->achievements = std::make_shared<AchievementService>(ctx);
  s->status = std::make_shared<StatusAllocator>(
      ctx->store, ctx->urls, ctx->clock, ctx->rng, options.status);
  s->issuance = std::make_shared<IssuanceService>(ctx, s->orgs, s->status,
                                                  std::move(options.issuance));
  s->vc_api = std::make_shared<VcApiIssuer>(ctx, s->keys, s->status,
                                            s->issuance->options().on_issued,
                                            s->issuance->issued_listeners());
  s->bulk =
      std::make_shared<BulkService>(ctx, s->issuance, std::move(options.bulk));
  return s;
}

}  // namespace credstack::app
