"""``tf.io``'s ops: files (``files``), TensorProto bytes (``tensor_proto``), byte decoding (``decode``), CSV
(``csv``), ``tf.train.Example`` parsing (``example``), TFRecord files (``tfrecord``) and ``tf.io.gfile``
(``gfile``), all on the host. Protobuf and CRC32C load on first use (``_protos``, ``_crc``)."""
