"""make demo: train a small MLP on scikit-learn's bundled handwritten digits, twice: first as a low-level loop
(tf.Modules, tf.GradientTape, a tf.train.Checkpoint), then as a Keras model (tf.keras is Keras 3, running on
featherflow), with ``fit``, ``evaluate`` and a ``.keras`` file saved and loaded back.

Everything below is TensorFlow 2 code; only the import differs. Running it again resumes the low-level loop from
the last checkpoint in demo_output/ (delete that folder to start over). It prints the test accuracies and writes
demo_output/loss.png.
"""

from __future__ import annotations

import json
import math
import pathlib
import sys
import time

import numpy as np

import featherflow as tf

OUT = pathlib.Path(__file__).resolve().parent.parent / "demo_output"
EPOCHS = 25
KERAS_EPOCHS = 10
BATCH = 32


class Dense(tf.Module):
    """y = activation(x @ w + b), He-initialised."""

    def __init__(self, in_dim: int, out_dim: int, activation=None, name: str | None = None) -> None:
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.random.normal([in_dim, out_dim], stddev=math.sqrt(2.0 / in_dim), seed=1), name="w")
            self.b = tf.Variable(tf.zeros([out_dim]), name="b")
        self.activation = activation

    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return self.activation(y) if self.activation else y


class MLP(tf.Module):
    def __init__(self, sizes: list[int], name: str | None = None) -> None:
        super().__init__(name=name)
        with self.name_scope:
            self.layers = [Dense(a, b, tf.nn.relu if i < len(sizes) - 2 else None)
                           for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]))]

    @tf.Module.with_name_scope
    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def load_digits():
    from sklearn.datasets import load_digits as sk_digits

    digits = sk_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return (x[:split], y[:split]), (x[split:], y[split:])


def progress(epoch: int, done: int, total: int, loss: float, acc: float, width: int = 30) -> None:
    filled = int(width * done / total)
    bar = "#" * filled + "." * (width - filled)
    sys.stdout.write(f"\repoch {epoch:2d}/{EPOCHS} [{bar}] loss {loss:.4f} acc {acc:.3f}")
    sys.stdout.flush()


def accuracy(model, x, y) -> float:
    predictions = tf.argmax(model(x), axis=1)
    return float(tf.reduce_mean(tf.cast(tf.equal(predictions, y), tf.float32)))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (x_train, y_train), (x_test, y_test) = load_digits()
    tf.random.set_seed(0)
    model = MLP([64, 128, 64, 10])
    optimizer = tf.keras.optimizers.Adam(learning_rate=1e-3)
    epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    manager = tf.train.CheckpointManager(checkpoint, str(OUT / "ckpt"), max_to_keep=3)
    history_file = OUT / "loss_history.json"
    restored = manager.restore_or_initialize()
    history = json.loads(history_file.read_text()) if restored and history_file.exists() else []
    if restored:
        print(f"resumed from {restored} (epoch {int(epoch)})")
    print(f"training {[v.name for v in model.trainable_variables]}")

    train = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(len(x_train), seed=0).batch(BATCH)
    steps = math.ceil(len(x_train) / BATCH)
    start = time.perf_counter()
    while int(epoch) < EPOCHS:
        epoch.assign_add(1)
        total_loss, correct, seen = 0.0, 0, 0
        for i, (xb, yb) in enumerate(train):
            with tf.GradientTape() as tape:
                logits = model(xb)
                loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            n = int(tf.size(yb))
            total_loss += float(loss) * n
            correct += int(tf.reduce_sum(tf.cast(tf.equal(tf.argmax(logits, axis=1), yb), tf.int32)))
            seen += n
            progress(int(epoch), i + 1, steps, total_loss / seen, correct / seen)
        history.append(total_loss / seen)
        manager.save()
        history_file.write_text(json.dumps(history))
        print(f"  test acc {accuracy(model, x_test, y_test):.3f}")
    elapsed = time.perf_counter() - start
    test_acc = accuracy(model, x_test, y_test)
    print(f"\nfinal test accuracy: {test_acc:.4f} ({len(x_test)} held-out digits; {elapsed:.1f} s of training)")
    plot(history)
    keras_fit(x_train, y_train, x_test, y_test)


def keras_fit(x_train, y_train, x_test, y_test) -> None:
    """The same MLP as a Keras model: compile, fit (with a validation split and Keras's progress bar), evaluate,
    and a round trip through a .keras file."""
    print("\nKeras: the same MLP with tf.keras.Sequential and model.fit")
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        tf.keras.Input((64,)),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(10),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.summary()
    start = time.perf_counter()
    model.fit(x_train, y_train, epochs=KERAS_EPOCHS, batch_size=BATCH, validation_split=0.1, verbose=2)
    elapsed = time.perf_counter() - start
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    path = OUT / "digits.keras"
    model.save(path)
    reloaded = tf.keras.models.load_model(path)
    same = np.allclose(reloaded.predict(x_test, verbose=0), model.predict(x_test, verbose=0))
    print(f"Keras test accuracy: {acc:.4f} ({elapsed:.1f} s for {KERAS_EPOCHS} epochs); {path.name} reloads with the same "
          f"predictions: {same}")


def plot(history: list[float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(range(1, len(history) + 1), history, marker="o", markersize=3)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_title("featherflow: MLP on scikit-learn digits")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(OUT / "loss.png", dpi=120)
    print(f"loss curve: {OUT / 'loss.png'}")


if __name__ == "__main__":
    main()
