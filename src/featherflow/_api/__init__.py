"""Public namespaces that share a name with an internal module, laid out as TF's ``tensorflow._api.v2``:
``featherflow.dtypes`` is ``_api.dtypes`` (``tf.dtypes``) as an attribute of the package, while the module
``featherflow.dtypes`` holds the DType objects at the bottom of the layers."""
