#pragma once
// The label of a position that takes no loss (prompt tokens, padding): PyTorch's cross_entropy ignore_index default,
// which transformers' and TRL's collators write too. Data encodes it, the model's loss skips it.

namespace ft {

inline constexpr int kIgnoreIndex = -100;

} // namespace ft
