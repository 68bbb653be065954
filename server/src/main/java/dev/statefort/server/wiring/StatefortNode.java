package dev.statefort.server.wiring;

import dev.statefort.core.admin.AliasAdministration;
import dev.statefort.core.admin.MemberAdministration;
import dev.statefort.core.admin.SettingsAdministration;
import dev.statefort.core.admin.TokenAdministration;
import dev.statefort.core.admin.UserAdministration;
import dev.statefort.core.audit.AuditService;
import dev.statefort.core.auth.AliasService;
import dev.statefort.core.auth.IssuedToken;
import dev.statefort.core.auth.PasswordHasher;
import dev.statefort.core.auth.SessionService;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.crypto.WebhookSecrets;
import dev.statefort.core.event.EventFeed;
import dev.statefort.core.event.EventSignal;
import dev.statefort.core.event.EventTypes;
import dev.statefort.core.event.StaleLockSweeper;
import dev.statefort.core.event.WebhookAdministration;
import dev.statefort.core.event.WebhookDispatcher;
import dev.statefort.core.event.WebhookSubscriptions;
import dev.statefort.core.event.WebhookTargets;
import dev.statefort.core.event.WrittenCounts;
import dev.statefort.core.fleet.ConsumerLedger;
import dev.statefort.core.fleet.FleetView;
import dev.statefort.core.fleet.StateIndexer;
import dev.statefort.core.history.HistoryService;
import dev.statefort.core.identity.JwtVerifier;
import dev.statefort.core.identity.OidcIssuer;
import dev.statefort.core.identity.TrustPolicyAdministration;
import dev.statefort.core.identity.WorkloadIdentityService;
import dev.statefort.core.insight.AnalysisLimits;
import dev.statefort.core.insight.AnalysisPool;
import dev.statefort.core.insight.ParsedVersions;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.FreezeAdministration;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.lock.ProtectionRuleAdministration;
import dev.statefort.core.model.ProjectRecord;
import dev.statefort.core.policy.QuarantineCap;
import dev.statefort.core.policy.SettingsService;
import dev.statefort.core.policy.StatePolicies;
import dev.statefort.core.project.ProjectService;
import dev.statefort.core.quarantine.QuarantineService;
import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.MetadataStore;
import dev.statefort.core.state.ConsumerReads;
import dev.statefort.core.state.DecodedVersions;
import dev.statefort.core.state.StateService;
import dev.statefort.core.storage.DatabaseRoutedBlobStore;
import dev.statefort.core.storage.StorageAdministration;
import dev.statefort.core.storage.StorageHealth;
import dev.statefort.core.storage.StorageMoves;
import dev.statefort.core.storage.StorageProfiles;
import dev.statefort.core.surgery.StateSurgery;
import dev.statefort.core.usecases.AccessUseCases;
import dev.statefort.core.usecases.EventUseCases;
import dev.statefort.core.usecases.FleetUseCases;
import dev.statefort.core.usecases.ProjectUseCases;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.core.usecases.StorageUseCases;
import dev.statefort.core.workspace.WorkspaceLocks;
import dev.statefort.core.workspace.WorkspaceStateWrites;
import dev.statefort.core.workspace.Workspaces;
import dev.statefort.server.config.OidcSettings;
import dev.statefort.server.config.ServerConfig;
import dev.statefort.server.config.StorageConfig;
import dev.statefort.server.http.TlsContext;
import dev.statefort.server.metrics.MeteredBlobStore;
import dev.statefort.server.metrics.NodeMetrics;
import dev.statefort.server.outbound.HttpWebhookTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;

/**
 * The stores of one node and its use cases by area ({@link #state()}, {@link #access()}, {@link
 * #storage()}, {@link #project()}), opened from a {@link ServerConfig}; closing it closes the stores.
 */
public final class StatefortNode implements AutoCloseable {
    public static final String INITIAL_TOKEN_FILE = "initial-admin-token";
    public static final String INITIAL_PASSWORD_FILE = "initial-admin-password";
    /** How often the lock gauges count the locks again (counting walks every state). */
    static final java.time.Duration LOCK_GAUGE_REFRESH = java.time.Duration.ofSeconds(15);

    private final ServerConfig config;
    private final Clock clock;
    private final NodeMetrics metrics;
    private final MetadataStore metadata;
    private final BlobStore rawBlobs;
    private final Encryption encryption;
    private final AnalysisPool analysis;
    private final StateUseCases state;
    private final AccessUseCases access;
    private final StorageUseCases storage;
    private final ProjectUseCases project;
    private final EventUseCases events;
    private final FleetUseCases fleet;
    /** Wakes the search indexer when this node commits a version. */
    private final EventSignal indexSignal = new EventSignal();

    private final EventSignal eventSignal = new EventSignal();
    private final EventSignal deliverySignal = new EventSignal();
    /** Where this node serves, once it does (links in events when public-url is not set). */
    private volatile String servingUrl;

    private final HttpWebhookTransport webhookTransport;

    private StatefortNode(
            ServerConfig config, MetadataStore metadata, StorageProfiles profiles, Clock clock, NodeMetrics metrics) {
        createPrivateDirectory(config.dataDir());
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.metadata = metadata;
        this.rawBlobs = new DatabaseRoutedBlobStore(
                metadata, profiles.routedBy(name -> metadata.findProject(name).map(ProjectRecord::storage)));
        this.encryption = Encryption.open(
                config, metadata, rawBlobs, clock, (stage, nanos) -> metrics.codec(stage.label(), nanos));
        BlobStore blobs = encryption.blobs();
        SettingsService settings = new SettingsService(metadata, clock);
        AuditService audit = new AuditService(metadata, clock);
        this.analysis = new AnalysisPool(config.insight().concurrency());
        ProjectService projects = new ProjectService(metadata, audit, clock, profiles);
        ConsumerLedger consumers = new ConsumerLedger(metadata, clock);
        this.state = stateUseCases(blobs, settings, audit, projects, consumers);
        this.fleet = fleetUseCases(audit, consumers);
        this.project =
                new ProjectUseCases(projects, settings, new SettingsAdministration(settings, projects, audit), audit);
        this.access = accessUseCases(projects, audit);
        WebhookTargets targets = new WebhookTargets(
                config.webhooks().allowHttp(),
                java.util.Set.copyOf(config.webhooks().allowedHosts()));
        this.webhookTransport = new HttpWebhookTransport(targets);
        this.events = eventUseCases(settings, audit, projects, targets);
        StorageHealth storageHealth = new StorageHealth(profiles);
        this.storage = new StorageUseCases(
                profiles,
                storageHealth,
                new StorageAdministration(profiles, storageHealth, metadata),
                new StorageMoves(metadata, blobs, profiles, audit));
    }

    /** Webhooks, the live stream and their background work; every recorded event wakes this node's readers. */
    private EventUseCases eventUseCases(
            SettingsService settings, AuditService audit, ProjectService projects, WebhookTargets targets) {
        WebhookSecrets secrets = new WebhookSecrets(encryption.master());
        WebhookSubscriptions subscriptions = new WebhookSubscriptions(metadata, clock);
        audit.listen(e -> {
            String type = EventTypes.of(e);
            if (type != null) {
                eventSignal.fire();
                if (subscriptions.anyFor(e.project(), type)) {
                    deliverySignal.fire();
                }
            }
        });
        return new EventUseCases(
                new WebhookAdministration(
                        metadata, projects, secrets, targets, audit, clock, deliverySignal::fire, subscriptions),
                new EventFeed(metadata, projects, clock),
                new WebhookDispatcher(
                        metadata,
                        secrets,
                        webhookTransport,
                        new WrittenCounts(metadata, state.insight()),
                        audit,
                        clock,
                        config.webhooks().retryInitial(),
                        () -> config.publicUrl() != null ? config.publicUrl() : servingUrl),
                new StaleLockSweeper(metadata, settings, audit, clock));
    }

    /** The fleet's search, overview and outputs readers; every version this node commits wakes the indexer. */
    private FleetUseCases fleetUseCases(AuditService audit, ConsumerLedger consumers) {
        StateIndexer indexer =
                new StateIndexer(metadata, state.insight().parsedVersions(), state.states()::contentInBackground);
        audit.listen(e -> {
            if (indexer.recorded(e)) {
                indexSignal.fire();
            }
        });
        return new FleetUseCases(new FleetView(metadata, consumers, clock), indexer, consumers);
    }

    /** The state use cases, their read cache and their analysis limits as configured, metered. */
    private StateUseCases stateUseCases(
            BlobStore blobs,
            SettingsService settings,
            AuditService audit,
            ProjectService projects,
            ConsumerReads consumers) {
        DecodedVersions readCache = new DecodedVersions(blobs, Math.min(config.readCacheBytes(), quarterOfTheHeap()));
        metrics.readCache(readCache::hits, readCache::misses);
        StateService states = new StateService(
                metadata,
                blobs,
                config.maxStateBytes(),
                (int) config.smallStateMaxBytes(),
                clock,
                settings,
                audit,
                new QuarantineCap(
                        metadata,
                        blobs,
                        audit,
                        config.quarantine().maxCount(),
                        config.quarantine().maxBytes()),
                readCache,
                consumers);
        ParsedVersions parsed = new ParsedVersions(
                states,
                AnalysisLimits.of(
                        config.insight().maxStateBytes(), config.insight().maxNodes()),
                analysis);
        VersionInsight insight = new VersionInsight(metadata, settings, parsed, consumers);
        LockService locks = states.locks(); // the one the write path asks too: one view of the holders
        metrics.lockGauges(
                () -> {
                    LockService.Census census = locks.census();
                    return new long[] {census.held(), census.stale()};
                },
                LOCK_GAUGE_REFRESH);
        return new StateUseCases(
                states,
                locks,
                new HistoryService(metadata, blobs, states, insight, audit),
                new QuarantineService(metadata, blobs, settings, insight, parsed, audit, clock),
                new StatePolicies(metadata, settings, audit, clock),
                insight,
                new FreezeAdministration(metadata, projects, audit, clock),
                new ProtectionRuleAdministration(metadata.access(), projects, audit, clock),
                new Workspaces(metadata, settings, audit, clock),
                new WorkspaceLocks(locks, clock),
                new WorkspaceStateWrites(metadata, states, clock),
                new StateSurgery(metadata, states, locks, insight, audit, clock));
    }

    private AccessUseCases accessUseCases(ProjectService projects, AuditService audit) {
        UserService users = new UserService(metadata, PasswordHasher.standard(), clock);
        TokenService tokens = new TokenService(metadata, users, clock);
        AliasService aliases = new AliasService(metadata.access(), tokens, users, clock);
        JwtVerifier verifier = new JwtVerifier(oidcIssuers(config.oidc()), clock);
        return new AccessUseCases(
                users,
                new SessionService(
                        metadata.access(),
                        users,
                        clock,
                        SessionService.DEFAULT_IDLE_TIMEOUT,
                        SessionService.DEFAULT_MAX_AGE),
                tokens,
                aliases,
                new UserAdministration(users, audit),
                new MemberAdministration(users, audit),
                new TokenAdministration(tokens, projects, audit, clock),
                new AliasAdministration(aliases, projects, audit, clock),
                new WorkloadIdentityService(
                        verifier, metadata.access(), metadata, config.oidc().lockGrace(), clock),
                new TrustPolicyAdministration(metadata.access(), verifier, projects, audit, clock));
    }

    /** The configured issuers, each with its private CA's trust when it names one. */
    private static java.util.List<OidcIssuer> oidcIssuers(OidcSettings oidc) {
        return oidc.issuers().stream()
                .map(i -> new OidcIssuer(
                        i.name(),
                        i.issuer(),
                        i.audience(),
                        i.jwksUrl(),
                        i.caFile() == null ? null : TlsContext.trusting(i.caFile(), "oidc." + i.name() + ".ca-file")))
                .toList();
    }

    /** Creates the data directory if needed and opens (and migrates) the stores. */
    public static StatefortNode open(ServerConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** As {@link #open(ServerConfig)}, with the clock every service reads (tests move it). */
    public static StatefortNode open(ServerConfig config, Clock clock) {
        createPrivateDirectory(config.dataDir());
        MetadataStore metadata = Stores.openMetadata(config);
        try {
            Stores.warnAboutMissingProfiles(config, metadata);
            NodeMetrics metrics = new NodeMetrics();
            StorageProfiles storage = Stores.openProfiles(config.storage(), metrics);
            try {
                return new StatefortNode(config, metadata, storage, clock, metrics);
            } catch (RuntimeException e) {
                storage.close();
                throw e;
            }
        } catch (RuntimeException e) {
            metadata.close();
            throw e;
        }
    }

    /** A node over stores the caller opened (tests use the in-memory pair); closing it closes them. */
    public static StatefortNode of(ServerConfig config, MetadataStore metadata, BlobStore blobs) {
        NodeMetrics metrics = new NodeMetrics();
        return new StatefortNode(
                config,
                metadata,
                StorageProfiles.single(
                        StorageConfig.LOCAL,
                        "memory",
                        blobs.toString(),
                        new MeteredBlobStore(blobs, StorageConfig.LOCAL, metrics)),
                Clock.systemUTC(),
                metrics);
    }

    /**
     * Opens every storage profile now (they open on first use otherwise): {@code serve} calls it so
     * that a profile whose settings the SDK refuses stops the start with a message naming it.
     */
    public void openStorage() {
        Stores.openNow(storage.profiles());
    }

    /** What a first start created: each is shown once. */
    /**
     * @param doneElsewhere another node, starting at the same moment on the same database, did the
     *     first start: the initial token (and password) are in its data directory
     */
    public record FirstStart(
            Optional<IssuedToken> adminToken, Optional<UserService.NewUser> adminUser, boolean doneElsewhere) {}

    /**
     * First-start setup: the {@code default} project; a global admin token when no token exists yet,
     * written to {@code <data-dir>/initial-admin-token}; a global admin user {@code admin} when no user
     * exists yet, its generated password written to {@code <data-dir>/initial-admin-password} (both
     * created with mode 0600 and put in place by an atomic rename: never readable by others, never
     * half-written). The token expires after {@code bootstrap-token-expiry} days (default 30) unless
     * that is {@code never}.
     */
    public FirstStart firstStart() {
        project.projects().create(ProjectService.DEFAULT_PROJECT);
        TokenService tokens = access.tokens();
        Optional<IssuedToken> token = Optional.empty();
        boolean doneElsewhere = false;
        if (tokens.list().isEmpty()) {
            Integer days = config.bootstrapTokenExpiryDays();
            token = tokens.createInitialAdmin(
                    days == null ? null : clock.instant().plus(java.time.Duration.ofDays(days)));
            token.ifPresent(
                    admin -> writePrivateFile(config.dataDir().resolve(INITIAL_TOKEN_FILE), admin.token() + "\n"));
            doneElsewhere = token.isEmpty();
        }
        Optional<UserService.NewUser> user = access.users().bootstrapAdmin();
        user.ifPresent(u -> writePrivateFile(config.dataDir().resolve(INITIAL_PASSWORD_FILE), u.password() + "\n"));
        return new FirstStart(token, user, doneElsewhere);
    }

    /** {@link #firstStart()}, returning the admin token it created. */
    public Optional<IssuedToken> bootstrap() {
        return firstStart().adminToken();
    }

    /** What can be done to a state: read, write, lock, its history, quarantine, policies, insight. */
    public EventUseCases events() {
        return events;
    }

    public FleetUseCases fleet() {
        return fleet;
    }

    /** Fired when this node commits a version (the search indexer waits on it). */
    public EventSignal indexSignal() {
        return indexSignal;
    }

    /** Called by the server once it listens: the address links in webhook events use without public-url. */
    public void serving(String url) {
        this.servingUrl = url;
    }

    /** Fires when this node records an event (its live streams wait on it). */
    public EventSignal eventSignal() {
        return eventSignal;
    }

    /** Fires when this node records an event one of its project's webhooks receives (the webhook sender waits on it). */
    public EventSignal deliverySignal() {
        return deliverySignal;
    }

    public StateUseCases state() {
        return state;
    }

    /** Users, sessions, tokens, aliases, and their administration. */
    public AccessUseCases access() {
        return access;
    }

    /** The storage profiles, their health, their administration and project moves. */
    public StorageUseCases storage() {
        return storage;
    }

    /** Projects, their settings and the audit log. */
    public ProjectUseCases project() {
        return project;
    }

    public ServerConfig config() {
        return config;
    }

    /** The clock every service reads. */
    public Clock clock() {
        return clock;
    }

    /** The node's meters: the services record into them, {@code GET /metrics} shows them. */
    public NodeMetrics metrics() {
        return metrics;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    /** The undecorated blob store (for re-encryption and tests). */
    public BlobStore rawBlobs() {
        return rawBlobs;
    }

    /** The blob store the services use ({@link Encryption#blobs()}), the key ring and the master key. */
    public Encryption encryption() {
        return encryption;
    }

    /** Where state analyses run (tests look at how busy it is). */
    public AnalysisPool analysisPool() {
        return analysis;
    }

    @Override
    public void close() {
        try {
            fleet.consumers().flush(); // the last seconds' outputs reads
        } catch (RuntimeException e) {
            // the database is gone: those counts are lost, nothing else
        }
        analysis.close();
        try {
            webhookTransport.close();
        } catch (java.io.IOException e) {
            // nothing is left to send through it
        }
        try {
            encryption.blobs().close();
        } finally {
            try {
                metadata.close();
            } finally {
                metrics.close();
            }
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                trySetPermissions(dir, "rwx------");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data-dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a secret to {@code file}: into a temporary file of the same directory that is created
     * with mode 0600 (no moment with wider permissions, whatever the umask), synced, then renamed
     * over {@code file} atomically.
     */
    static void writePrivateFile(Path file, String content) {
        Path temp = null;
        try {
            try {
                temp = Files.createTempFile(
                        file.getParent(),
                        "." + file.getFileName() + "-",
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp");
            }
            try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the rename happened, or the error above says why not
                }
            }
        }
    }

    /** In-memory caches never take more than a quarter of the heap each, whatever is configured. */
    static long quarterOfTheHeap() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    private static void trySetPermissions(Path path, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): rely on the directory's ACLs
        }
    }
}
