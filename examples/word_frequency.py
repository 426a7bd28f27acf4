"""Counts word frequencies in a generated corpus and prints the most common words.

The slow part is deliberate: `unique_words` keeps the vocabulary in a list, so every
membership test scans it. Profile this file and the `if word not in vocabulary` line
lights up; switching `vocabulary` to a set makes it disappear.
"""

import random
import string
from collections import Counter

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "qua", "dre"]


def make_corpus(n_words, seed=7):
    rng = random.Random(seed)
    words = []
    for _ in range(n_words):
        length = rng.randint(1, 4)
        word = "".join(rng.choice(SYLLABLES) for _ in range(length))
        if rng.random() < 0.1:
            word = word.capitalize() + rng.choice(",.;!?")
        words.append(word)
    return " ".join(words)


def normalise(text):
    table = str.maketrans("", "", string.punctuation)
    return [word.translate(table).lower() for word in text.split()]


def unique_words(words):
    vocabulary = []
    for word in words:
        if word not in vocabulary:  # linear scan over the list: the slow line
            vocabulary.append(word)
    return vocabulary


def count_words(words):
    return Counter(words)


def main():
    text = make_corpus(60_000)
    words = normalise(text)
    vocabulary = unique_words(words)
    counts = count_words(words)
    print(f"{len(words)} words, {len(vocabulary)} distinct")
    for word, count in counts.most_common(10):
        print(f"{word:>10} {count}")


if __name__ == "__main__":
    main()
