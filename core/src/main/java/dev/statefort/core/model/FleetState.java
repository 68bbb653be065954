package dev.statefort.core.model;

import java.time.Instant;

/**
 * One state as the fleet view lists it.
 *
 * @param key the state
 * @param version its current version number, 0 before the first write
 * @param size the current version's size in bytes (0 before the first write)
 * @param resources resource instances in the current version, or null when not readable
 * @param lastWriteAt when the current version was written, or null
 * @param recentWrites versions written since the time asked for (the last 7 days)
 * @param lockHolder who holds the exclusive lock, or null
 * @param lockedSince when the lock was taken, or null
 * @param planLocks shared plan locks held
 * @param terraformVersion the current version's {@code terraform_version}, or null
 * @param guardRefusals writes the destructive-write guard refused since the time asked for
 * @param index what the search index holds of it ({@code indexed}, {@code not-readable},
 *     {@code too-large}, or {@code pending} while its current version is not indexed yet)
 */
public record FleetState(
        StateKey key,
        long version,
        long size,
        Integer resources,
        Instant lastWriteAt,
        long recentWrites,
        String lockHolder,
        Instant lockedSince,
        int planLocks,
        String terraformVersion,
        long guardRefusals,
        String index) {}
