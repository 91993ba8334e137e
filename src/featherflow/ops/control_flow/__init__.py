"""Control flow as TF runs it eagerly: conditionals, loops, maps and folds over tensors, and TensorArray."""
