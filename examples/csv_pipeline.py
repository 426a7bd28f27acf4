"""A small ETL pipeline: generate orders as CSV, parse, validate, aggregate, write JSON.

Validation matches each address against an e-mail pattern whose nested quantifiers
backtrack exponentially on a malformed local part: that line dominates the profile.
A pattern without nested repetition (e.g. `[a-z0-9._-]+@...`) is the fix.
"""

import csv
import io
import json
import random
import re

N_ORDERS = 12_000
COUNTRIES = ["DE", "FR", "NL", "PL", "SE", "IT", "ES", "PT"]
PRODUCTS = ["lamp", "desk", "chair", "shelf", "rug", "mirror", "stool", "bench"]
EMAIL_PATTERN = r"^([a-z0-9]+[._-]?)*[a-z0-9]+@([a-z0-9-]+\.)+[a-z]{2,}$"


def generate_csv(n, seed=11):
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["order_id", "email", "country", "product", "quantity", "unit_price"])
    for order_id in range(n):
        user = ".".join(rng.choice(["anna", "ben", "chloe", "dan", "eva"]) for _ in range(4))
        if rng.random() < 0.2:
            user += "_" * 3  # a malformed address: the pattern must give up on it
        email = f"{user}{order_id}@shop-{rng.randint(1, 9)}.example"
        writer.writerow(
            [
                order_id,
                email,
                rng.choice(COUNTRIES),
                rng.choice(PRODUCTS),
                rng.randint(1, 5),
                f"{rng.uniform(5, 400):.2f}",
            ]
        )
    return out.getvalue()


def parse(text):
    return list(csv.DictReader(io.StringIO(text)))


def is_valid_email(address):
    pattern = re.compile(EMAIL_PATTERN)
    return pattern.match(address) is not None  # backtracking regex: the slow line


def validate(rows):
    return [row for row in rows if is_valid_email(row["email"])]


def aggregate(rows):
    revenue = {}
    for row in rows:
        key = (row["country"], row["product"])
        amount = int(row["quantity"]) * float(row["unit_price"])
        revenue[key] = revenue.get(key, 0.0) + amount
    return revenue


def to_json(revenue):
    report = [
        {"country": country, "product": product, "revenue": round(total, 2)}
        for (country, product), total in sorted(revenue.items())
    ]
    return json.dumps(report, indent=2)


def main():
    rows = parse(generate_csv(N_ORDERS))
    valid = validate(rows)
    report = to_json(aggregate(valid))
    print(f"{len(rows)} orders, {len(rows) - len(valid)} rejected, report of {len(report)} bytes")


if __name__ == "__main__":
    main()
