// A Python script that computes in one function for a given time, then ends: what the
// long-running e2e checks profile. Its hot line is the one that gets the inline time.
export const BUSY_HOT_LINE = 'total += sum(i * i for i in range(1000))';

export function busyScript(functionName, seconds) {
  return `import time


def ${functionName}(seconds):
    deadline = time.monotonic() + seconds
    total = 0
    while time.monotonic() < deadline:
        ${BUSY_HOT_LINE}
    return total


${functionName}(${seconds})
`;
}
