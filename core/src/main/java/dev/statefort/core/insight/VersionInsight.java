package dev.statefort.core.insight;

import dev.statefort.core.NotFoundException;
import dev.statefort.core.auth.Authorization;
import dev.statefort.core.auth.Principal;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.VersionRecord;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.ConsumerReads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Looking inside versions: a version and the current one, parsed (bounded and cached by {@link
 * ParsedVersions}), two compared, and the current state as an outputs-only principal sees it.
 */
public final class VersionInsight {
    private final MetadataStore metadata;
    private final SettingsService settings;
    private final ParsedVersions parsed;
    private final ConsumerReads consumerReads;

    /** Insight whose outputs reads are told to nobody (tests, tools). */
    public VersionInsight(MetadataStore metadata, SettingsService settings, ParsedVersions parsed) {
        this(metadata, settings, parsed, ConsumerReads.NONE);
    }

    /** Insight that tells {@code consumerReads} of every outputs read by another party. */
    public VersionInsight(
            MetadataStore metadata, SettingsService settings, ParsedVersions parsed, ConsumerReads consumerReads) {
        this.metadata = metadata;
        this.settings = settings;
        this.parsed = parsed;
        this.consumerReads = consumerReads;
    }

    /** The parsed versions it reads through (what background work parses with, outside any request). */
    public ParsedVersions parsedVersions() {
        return parsed;
    }

    /**
     * A version parsed for insight; empty when its content is not a readable Terraform state.
     * Bounded and cached by {@link ParsedVersions} (413 over {@code insight-max-state-size}).
     */
    public Optional<StateDocument> document(Principal actor, StateKey key, long number) throws IOException {
        return parsed.document(version(actor, key, number));
    }

    /** The current version parsed; empty when there is none or it is not readable. */
    public Optional<StateDocument> currentDocument(Principal actor, StateKey key) throws IOException {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        Optional<VersionRecord> head = metadata.headVersion(key);
        return head.isEmpty() ? Optional.empty() : parsed.document(head.get());
    }

    /** One version's row (read). */
    public VersionRecord version(Principal actor, StateKey key, long number) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return metadata.findVersion(key, number)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no version " + number));
    }

    /** The current version's row (read). */
    public VersionRecord current(Principal actor, StateKey key) {
        Authorization.requireOn(actor, key, Permission.READ, metadata);
        return metadata.headVersion(key)
                .orElseThrow(() -> new NotFoundException("state " + key + " has no content yet"));
    }

    /** The diff between two versions; empty when either is not readable. */
    public Optional<StateDiff.Result> diff(Principal actor, StateKey key, long from, long to) throws IOException {
        return parsed.diff(version(actor, key, from), version(actor, key, to));
    }

    /**
     * The current state as an outputs-only principal sees it (outputs); empty before the first write.
     * Counted as a read of the state's outputs by {@code actor}.
     */
    public Optional<byte[]> outputsOnly(Principal actor, StateKey key) throws IOException {
        Optional<byte[]> view = outputsOnlyView(actor, key);
        if (view.isPresent()) {
            consumerReads.read(actor, key, ConsumerReads.outputsVia(actor));
        }
        return view;
    }

    private Optional<byte[]> outputsOnlyView(Principal actor, StateKey key) throws IOException {
        Authorization.requireOn(actor, key, Permission.OUTPUTS, metadata);
        Optional<VersionRecord> head = metadata.headVersion(key);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Optional<StateDocument> doc = Optional.empty();
        boolean analysable = parsed.isAnalysable(head.get());
        if (analysable) {
            try {
                doc = parsed.document(head.get());
            } catch (TooLargeToAnalyseException overLimits) {
                analysable = false; // too many values or too deep to keep parsed: read it once below
            }
        }
        if (analysable) {
            if (doc.isEmpty()) {
                throw new dev.statefort.core.auth.AccessDeniedException("outputs-only access needs a plain Terraform"
                        + " state; this one is client-encrypted or not readable");
            }
            var access = settings.state(key);
            StateDocument document = doc.get();
            return Optional.of(parsed.pool().run(() -> OutputsOnlyState.synthesize(document, access)));
        }
        // Over the analysis limits: terraform_remote_state must still work; streamed, on the pool.
        return Optional.of(parsed.outputsOnlyStreamed(head.get(), settings.state(key)));
    }

    /**
     * The current version's outputs as {@code actor} may see them: every one with read, else those
     * the state's outputs access allows (as {@link #outputsOnly} shows them); empty before the first
     * write or for a state Statefort cannot read. Counted as a read through the TFE outputs route.
     */
    public Map<String, OutputValue> currentOutputs(Principal actor, StateKey key) throws IOException {
        Map<String, OutputValue> outputs = currentOutputsUncounted(actor, key);
        consumerReads.read(actor, key, ConsumerReads.TFE_OUTPUTS);
        return outputs;
    }

    private Map<String, OutputValue> currentOutputsUncounted(Principal actor, StateKey key) throws IOException {
        if (actor.allows(key, Permission.READ)) {
            return currentDocument(actor, key).map(StateDocument::outputs).orElse(Map.of());
        }
        Optional<byte[]> view = outputsOnlyView(actor, key);
        if (view.isEmpty()) {
            return Map.of();
        }
        return StateDocument.parse(new ByteArrayInputStream(view.get()))
                .map(StateDocument::outputs)
                .orElse(Map.of());
    }

    /**
     * Version {@code number}'s outputs: every one with read; with outputs only, the current version's
     * as {@link #currentOutputs} gives them, and a 404 for any other version. Counted as a read
     * through the TFE outputs route.
     */
    public Map<String, OutputValue> outputs(Principal actor, StateKey key, long number) throws IOException {
        if (actor.allows(key, Permission.READ)) {
            Map<String, OutputValue> outputs =
                    document(actor, key, number).map(StateDocument::outputs).orElse(Map.of());
            consumerReads.read(actor, key, ConsumerReads.TFE_OUTPUTS);
            return outputs;
        }
        Authorization.requireOn(actor, key, Permission.OUTPUTS, metadata);
        long current = metadata.headVersion(key).map(VersionRecord::number).orElse(-1L);
        if (current != number) {
            throw new NotFoundException("an outputs credential reads the current version's outputs only");
        }
        return currentOutputs(actor, key);
    }

    /**
     * Runs CPU-bound work over parsed versions (building and serializing an answer) on the analysis
     * pool, never on a thread that serves Terraform.
     */
    public <T> T analyse(AnalysisPool.Work<T> work) throws IOException {
        return parsed.pool().run(work);
    }
}
