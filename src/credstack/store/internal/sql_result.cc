#include "credstack/store/internal/sql.h"

namespace credstack::store::internal {

const SqlResult::Cell& SqlResult::At(size_t r, size_t c) const {
  CREDSTACK_CHECK(c < cols_ && r * cols_ + c < cells_.size());
  return cells_[r * cols_ + c];
}

int64_t SqlResult::Int(size_t r, size_t c) const {
  const Cell& cell = At(r, c);
  CREDSTACK_CHECK_MSG(cell.kind == Cell::Kind::kInt,
                      "column is not an integer");
  return cell.i;
}

const std::string& SqlResult::Text(size_t r, size_t c) const {
  static const std::string kEmpty;
  const Cell& cell = At(r, c);
  if (cell.kind == Cell::Kind::kNull) return kEmpty;
  CREDSTACK_CHECK_MSG(cell.kind == Cell::Kind::kBytes, "column is not text");
  return cell.s;
}

Bytes SqlResult::Blob(size_t r, size_t c) const {
  const std::string& s = Text(r, c);
  return Bytes(s.begin(), s.end());
}

std::optional<std::string> SqlResult::OptText(size_t r, size_t c) const {
  if (IsNull(r, c)) return std::nullopt;
  return Text(r, c);
}

std::optional<Timestamp> SqlResult::OptTime(size_t r, size_t c) const {
  if (IsNull(r, c)) return std::nullopt;
  return Timestamp{Int(r, c)};
}

}  // namespace credstack::store::internal
