"""The seed's ANN and CNN trained in PyTorch on one thread, with nnfit's schedule
(Adam, batch 32 reshuffled every epoch, N epochs, no validation), for timing only.
Usage: nn_torch.py ann|cnn EPOCHS ROWS COLS CLASSES   prints seconds of training."""
import sys, time
import torch

arch, epochs, rows, cols, classes = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(1)
torch.manual_seed(1)
x = torch.randn(rows, cols)
y = torch.randint(0, classes, (rows,))
if arch == "ann":
    net = torch.nn.Sequential(
        torch.nn.Linear(cols, 128), torch.nn.ReLU(), torch.nn.Dropout(0.3),
        torch.nn.Linear(128, 64), torch.nn.ReLU(), torch.nn.Dropout(0.3),
        torch.nn.Linear(64, classes))
else:
    x = x.unsqueeze(1)  # (rows, 1 channel, cols)
    net = torch.nn.Sequential(
        torch.nn.Conv1d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool1d(2), torch.nn.Flatten(),
        torch.nn.Linear(32 * ((cols - 2) // 2), 64), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Linear(64, classes))
opt = torch.optim.Adam(net.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
loss_fn = torch.nn.CrossEntropyLoss()
net.train()
start = time.perf_counter()
for epoch in range(epochs):
    perm = torch.randperm(rows)
    for s in range(0, rows, 32):
        idx = perm[s:s + 32]
        opt.zero_grad()
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        opt.step()
print(f"{time.perf_counter() - start:.6f}")
