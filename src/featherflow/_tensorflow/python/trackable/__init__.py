"""A package of TensorFlow's module tree, holding the private modules Keras imports."""
