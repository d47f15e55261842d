#!/usr/bin/env python3
"""The SQLite reference (reference.mjs --backend sqlite): the statements of
one hold and its release, as marquee-server runs them on SQLite
(CartService::authorize, HoldService::hold/release, EventWrites, AuditLog),
in a loop on one connection: SQLite has one writer, as the server has one
storage thread. Same database file kind (a --demo database), same settings:
journal_mode=WAL, synchronous=FULL, foreign_keys=ON. Statements are prepared
once (Python's statement cache); values are bound as the server binds them.

Usage: sqlite_loop.py DB --clients 50 --event breakfast-ii|open-air
                      --seconds N [--warmup 1]
Makes one cart per client (and, on the seated event, gives each its own
seat: B1..B16, C1.., as reference.mjs does on PostgreSQL); each pair uses the
next client's cart and seat, round robin. Prints one line of JSON: pairs in
the measured window (after the warm-up), CPU seconds of this process in it,
the settings read back.
"""
import argparse
import base64
import datetime
import json
import os
import sqlite3
import time


def iso(moment):
    # Clock.h isoUtc: Qt::ISODate in UTC, whole seconds.
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def new_id(prefix):
    # Tokens::newId: prefix, '_', 16 random bytes in base64url.
    return prefix + '_' + base64.urlsafe_b64encode(os.urandom(16)).rstrip(b'=').decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('db')
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument('--event', required=True)
    parser.add_argument('--seconds', type=float, required=True)
    parser.add_argument('--warmup', type=float, default=1.0)
    args = parser.parse_args()

    db = sqlite3.connect(args.db, isolation_level=None, cached_statements=256)
    # Storage.cpp openDatabase()
    db.execute('PRAGMA journal_mode = WAL')
    db.execute('PRAGMA synchronous = FULL')
    db.execute('PRAGMA foreign_keys = ON')
    settings = {
        'journal_mode': db.execute('PRAGMA journal_mode').fetchone()[0],
        'synchronous': db.execute('PRAGMA synchronous').fetchone()[0],
        'sqlite_version': sqlite3.sqlite_version,
    }
    one = lambda sql, values=(): db.execute(sql, values).fetchone()

    # One cart per client, made as CartService::create makes a loopback cart
    # (no client address, so no per-address cap applies), and its seat.
    now = datetime.datetime.now(datetime.timezone.utc)
    carts = [new_id('c') for _ in range(args.clients)]
    db.execute('BEGIN IMMEDIATE')
    for cart in carts:
        db.execute('INSERT INTO carts (id, token_hash, created_at, expires_at, client_address, staff_user)'
                   ' VALUES (?, ?, ?, ?, ?, ?)',
                   (cart, os.urandom(32).hex(), iso(now), iso(now + datetime.timedelta(hours=1)), None, None))
    db.execute('COMMIT')
    seated = one('SELECT kind FROM events WHERE slug = ?', (args.event,))[0] == 'seated'
    if seated and args.clients > 128:
        raise SystemExit('at most 128 clients on the seated event (rows B to I)')
    seats = [chr(66 + c // 16) + str(1 + c % 16) for c in range(args.clients)] if seated else []

    def authorize(cart):
        # CartService::authorize, before the transaction
        return one('SELECT token_hash, expires_at, staff_user FROM carts WHERE id = ?', (cart,))

    def event_write(event_id, held):
        # EventWrites::write on SQLite: UPDATE, then SELECT (no RETURNING)
        update = db.execute(
            'UPDATE events SET version = version + 1, ga_held = ga_held + ?, ga_sold = ga_sold + ?'
            ' WHERE id = ? AND ga_held + ga_sold + ? <= capacity', (held, 0, event_id, held))
        if update.rowcount != 1:
            raise RuntimeError('no room')
        return one('SELECT version, capacity, ga_held, ga_sold FROM events WHERE id = ?', (event_id,))

    def audit(action, subject, slug, details):
        db.execute('INSERT INTO audit_log (at, actor, action, subject, address, event, details)'
                   ' VALUES (?, ?, ?, ?, ?, ?, ?)',
                   (iso(datetime.datetime.now(datetime.timezone.utc)), actor, action, subject,
                    '127.0.0.1', slug, details))

    def hold(cart, seat):
        authorize(cart)
        db.execute('BEGIN IMMEDIATE')
        db.execute('SELECT id FROM carts WHERE id = ?', (cart,)).fetchall()
        event_id, kind, _currency = one('SELECT id, kind, currency FROM events WHERE slug = ?', (args.event,))
        now = datetime.datetime.now(datetime.timezone.utc)
        one("SELECT COUNT(*) FROM holds WHERE cart_id = ? AND state = 'live' AND expires_at > ?",
            (cart, iso(now)))
        one('SELECT client_address FROM carts WHERE id = ?', (cart,))  # clientCapReached
        hold_id = new_id('h')
        expires = iso(now + datetime.timedelta(seconds=600))
        if kind == 'seated':
            rows = db.execute(
                'SELECT s.id, s.label, s.blocked, c.seat_id, p.price FROM seats s'
                ' JOIN price_categories p ON p.id = s.category_id'
                ' LEFT JOIN seat_claims c ON c.seat_id = s.id'
                ' WHERE s.event_id = ? AND s.label IN (?) ORDER BY s.id', (event_id, seat)).fetchall()
            seat_id, _label, blocked, claimed, price = rows[0]
            if blocked or claimed is not None:
                raise RuntimeError(f'seat {seat} is not available')
            db.execute('INSERT INTO holds (id, cart_id, event_id, quantity, total, state, created_at, expires_at)'
                       " VALUES (?, ?, ?, ?, ?, 'live', ?, ?)", (hold_id, cart, event_id, 1, price, iso(now), expires))
            db.execute('INSERT INTO hold_seats (hold_id, seat_id, price) VALUES (?, ?, ?)', (hold_id, seat_id, price))
            db.execute("INSERT INTO seat_claims (seat_id, event_id, kind, hold_id) VALUES (?, ?, 'held', ?)",
                       (seat_id, event_id, hold_id))
            event_write(event_id, 0)
            details = json.dumps({'cart': cart, 'seats': [seat]}, separators=(',', ':'))
        else:
            price = one('SELECT MIN(price) FROM price_categories WHERE event_id = ?', (event_id,))[0]
            db.execute('INSERT INTO holds (id, cart_id, event_id, quantity, total, state, created_at, expires_at)'
                       " VALUES (?, ?, ?, ?, ?, 'live', ?, ?)", (hold_id, cart, event_id, 1, price, iso(now), expires))
            event_write(event_id, 1)
            details = json.dumps({'cart': cart, 'quantity': 1}, separators=(',', ':'))
        audit('hold.create', hold_id, args.event, details)
        db.execute('COMMIT')
        return hold_id

    def release(cart, hold_id):
        authorize(cart)
        db.execute('BEGIN IMMEDIATE')
        db.execute('SELECT id FROM carts WHERE id = ?', (cart,)).fetchall()
        if one("SELECT id FROM holds WHERE id = ? AND cart_id = ? AND state = 'live' AND order_id IS NULL",
               (hold_id, cart)) is None:
            raise RuntimeError(f'hold {hold_id} is gone')
        db.execute("UPDATE holds SET state = 'released' WHERE id = ? AND state = 'live'", (hold_id,))
        event_id, slug, kind, quantity = one(
            'SELECT h.event_id, e.slug, e.kind, h.quantity FROM holds h'
            ' JOIN events e ON e.id = h.event_id WHERE h.id = ?', (hold_id,))
        if kind == 'seated':
            db.execute('SELECT s.label FROM seat_claims c JOIN seats s ON s.id = c.seat_id'
                       " WHERE c.hold_id = ? AND c.kind = 'held'", (hold_id,)).fetchall()
            db.execute("DELETE FROM seat_claims WHERE hold_id = ? AND kind = 'held'", (hold_id,))
            event_write(event_id, 0)
        else:
            event_write(event_id, -quantity)
        audit('hold.release', hold_id, slug, json.dumps({'cart': cart}, separators=(',', ':')))
        db.execute('COMMIT')

    actor = ''
    start = time.monotonic()
    window_start = start + args.warmup
    window_end = window_start + args.seconds
    pairs = 0
    cpu_start = None
    i = 0
    while True:
        now = time.monotonic()
        if now >= window_end:
            break
        if cpu_start is None and now >= window_start:
            cpu_start = os.times()
        c = i % len(carts)
        actor = 'cart:' + carts[c]
        sent = now
        hold_id = hold(carts[c], seats[c] if seats else None)
        release(carts[c], hold_id)
        if sent >= window_start:
            pairs += 1
        i += 1
    cpu_end = os.times()
    cpu = (cpu_end.user + cpu_end.system) - (cpu_start.user + cpu_start.system) if cpu_start else 0.0
    print(json.dumps({'pairs': pairs, 'seconds': args.seconds, 'cpu_seconds': cpu, **settings}))


if __name__ == '__main__':
    main()
