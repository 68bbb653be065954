package dev.statefort.server.http.backend;

import dev.statefort.core.auth.Principal;
import dev.statefort.core.identity.RequestTarget;
import dev.statefort.core.insight.VersionInsight;
import dev.statefort.core.lock.LockService;
import dev.statefort.core.model.DeleteResult;
import dev.statefort.core.model.LockInfo;
import dev.statefort.core.model.LockResult;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.UnlockResult;
import dev.statefort.core.state.DestructiveWriteGuard;
import dev.statefort.core.state.StateService;
import dev.statefort.core.state.StateTooLargeException;
import dev.statefort.core.state.StoredState;
import dev.statefort.core.state.WriteOutcome;
import dev.statefort.core.state.WriteRequest;
import dev.statefort.core.usecases.StateUseCases;
import dev.statefort.server.http.Access;
import dev.statefort.server.http.Authenticator;
import dev.statefort.server.http.Exchange;
import dev.statefort.server.http.OutcomeStatus;
import dev.statefort.server.http.RouteTable;
import dev.statefort.server.http.Surface;
import dev.statefort.server.metrics.NodeMetrics;
import java.io.IOException;
import java.util.Optional;
import org.eclipse.jetty.http.QuotedQualityCSV;

/**
 * The Terraform/OpenTofu {@code http} backend at {@code /tf/{project}/{state}} and {@code
 * /tf/{project}/{state}/lock}, following docs/http-backend-protocol.md: 423 carries the holder's
 * LockInfo exactly, UNLOCK with an empty body force-releases, writes check {@code ?ID=}.
 */
public final class TerraformBackendHandler implements Surface<TerraformBackendHandler.Endpoint> {
    static final String PREFIX = "/tf/";
    /** {@code /tf/alias/{id}} is an alias address; no project can be named {@code alias}. */
    static final String ALIAS_SEGMENT = "alias";

    private static final int MAX_LOCK_INFO_BYTES = 64 * 1024;

    /** What answers one backend route, for the state the address names. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Exchange exchange, StateKey key, Principal principal) throws IOException;
    }

    private final StateService states;
    private final LockService locks;
    private final VersionInsight insight;
    private final Authenticator authenticator;
    private final NodeMetrics metrics;
    private final RouteTable<Endpoint> routes;

    public TerraformBackendHandler(StateUseCases useCases, Authenticator authenticator, NodeMetrics metrics) {
        this.metrics = metrics;
        this.states = useCases.states();
        this.locks = useCases.locks();
        this.insight = useCases.insight();
        this.authenticator = authenticator;
        RouteTable.Builder<Endpoint> table = RouteTable.builder();
        // an alias address first: /tf/alias/{id} would also fit /tf/{project}/{state}
        for (String state : new String[] {"/tf/alias/{id}", "/tf/{project}/{state}"}) {
            table.add("GET", state, Access.state(Permission.OUTPUTS), this::read)
                    .add("POST", state, Access.state(Permission.WRITE), this::write)
                    .add("PUT", state, Access.state(Permission.WRITE), this::write)
                    // a plan's lock needs read; LockService asks write of every other LOCK and UNLOCK, and
                    // StateService admin of a DELETE without a LockInfo (the state's deletion)
                    .add("DELETE", state, Access.state(Permission.READ), this::deleteOrUnlock)
                    .add("LOCK", state, Access.state(Permission.READ), this::lock)
                    .add("UNLOCK", state, Access.state(Permission.READ), this::unlock)
                    .add("LOCK", state + "/lock", Access.state(Permission.READ), this::lock)
                    .add("UNLOCK", state + "/lock", Access.state(Permission.READ), this::unlock)
                    .add("POST", state + "/lock", Access.state(Permission.READ), this::lock)
                    .add("DELETE", state + "/lock", Access.state(Permission.READ), this::unlock);
        }
        this.routes = table.build();
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith(PREFIX);
    }

    @Override
    public RouteTable<Endpoint> routes() {
        return routes;
    }

    @Override
    public void dispatch(Exchange exchange, RouteTable.Match<Endpoint> match) throws IOException {
        StateKey key;
        Principal principal;
        if (match.path().has("id")) {
            // /tf/alias/{id}: the alias's own credentials, and its one state
            principal = authenticator.authenticateAlias(exchange, match.path().get("id"));
            key = principal.onlyState();
        } else {
            key = match.path().state();
            principal = authenticator.authenticate(
                    exchange,
                    RequestTarget.state(key, lockUse(exchange, match.route().template()), exchange.query("ID")));
        }
        match.route().access().check(principal, match.path(), key);
        match.route().endpoint().handle(exchange, key, principal);
    }

    /**
     * Which of the requests Terraform makes under a lock this is (what an expired OIDC token may
     * still do under the lock it took): GET the state, POST or PUT it with {@code ?ID=}, or release
     * the lock (UNLOCK, DELETE of {@code /lock}, or DELETE of the state with a LockInfo body).
     */
    private static RequestTarget.LockUse lockUse(Exchange exchange, String template) {
        return switch (exchange.method()) {
            case "GET" -> template.endsWith("/lock") ? RequestTarget.LockUse.NONE : RequestTarget.LockUse.READ;
            case "POST", "PUT" ->
                template.endsWith("/lock") || exchange.query("ID") == null
                        ? RequestTarget.LockUse.NONE
                        : RequestTarget.LockUse.WRITE;
            case "UNLOCK" -> RequestTarget.LockUse.UNLOCK;
            case "DELETE" ->
                template.endsWith("/lock") || exchange.hasBody()
                        ? RequestTarget.LockUse.UNLOCK
                        : RequestTarget.LockUse.NONE;
            default -> RequestTarget.LockUse.NONE;
        };
    }

    private void read(Exchange exchange, StateKey key, Principal principal) throws IOException {
        if (!principal.allows(key, Permission.READ)) {
            Optional<byte[]> outputs = insight.outputsOnly(principal, key);
            if (outputs.isEmpty()) {
                exchange.sendText(404, "state " + key + " has no content yet");
            } else {
                exchange.send(200, Exchange.JSON, outputs.get());
            }
            return;
        }
        exchange.header("Vary", "Accept-Encoding");
        if (acceptsGzip(exchange.header("Accept-Encoding"))) {
            Optional<StateService.GzippedState> gzipped = states.readGzipped(principal, key);
            if (gzipped.isPresent()) {
                // Terraform's Go client asks for gzip on every GET and decompresses it itself
                exchange.header("Content-Encoding", "gzip");
                exchange.send(200, Exchange.JSON, gzipped.get().gzipped());
                return;
            }
        }
        Optional<StoredState> state = states.read(principal, key);
        if (state.isEmpty()) {
            exchange.sendText(404, "state " + key + " has no content yet");
            return;
        }
        exchange.stream(
                200, Exchange.JSON, state.get().version().size(), state.get().content());
    }

    /** Whether {@code Accept-Encoding} names gzip (or {@code *}) with a quality above 0 (Jetty's parser). */
    public static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        QuotedQualityCSV codings = new QuotedQualityCSV();
        codings.addValue(acceptEncoding);
        return codings.getValues().stream().anyMatch(c -> c.equalsIgnoreCase("gzip") || c.equals("*"));
    }

    private void write(Exchange exchange, StateKey key, Principal principal) throws IOException {
        WriteOutcome outcome;
        try {
            outcome = states.write(WriteRequest.of(key, exchange.body(), exchange.contentLength(), principal)
                    .underLock(exchange.query("ID"))
                    .withContentMd5(exchange.header("Content-MD5")));
        } catch (StateTooLargeException e) {
            metrics.stateWrite(key.project(), "too-large", -1);
            throw e;
        }
        metrics.stateWrite(key.project(), outcome);
        int status = OutcomeStatus.of(outcome);
        switch (outcome) {
            case WriteOutcome.Written w -> exchange.sendEmpty(status);
            case WriteOutcome.Locked l ->
                sendLockInfo(exchange, status, l.holder().info());
            case WriteOutcome.Fenced f -> sendLockInfo(exchange, status, f.expired());
            case WriteOutcome.PlanLockOnly p -> exchange.sendText(status, p.refusal());
            case WriteOutcome.Refused r ->
                exchange.sendText(status, DestructiveWriteGuard.refusal(key, r.quarantined()));
        }
    }

    private void lock(Exchange exchange, StateKey key, Principal principal) throws IOException {
        byte[] body = exchange.readSmallBody(MAX_LOCK_INFO_BYTES, "lock info");
        LockResult result = locks.lock(principal, key, body);
        metrics.lockRequest(key.project(), result instanceof LockResult.Acquired);
        switch (result) {
            case LockResult.Acquired a ->
                sendLockInfo(exchange, OutcomeStatus.of(result), a.lock().info());
            case LockResult.HeldBy h ->
                sendLockInfo(exchange, OutcomeStatus.of(result), h.holder().info());
        }
    }

    private void unlock(Exchange exchange, StateKey key, Principal principal) throws IOException {
        unlock(exchange, key, principal, exchange.readSmallBody(MAX_LOCK_INFO_BYTES, "lock info"));
    }

    private void unlock(Exchange exchange, StateKey key, Principal principal, byte[] body) throws IOException {
        UnlockResult result = locks.unlock(principal, key, body);
        switch (result) {
            case UnlockResult.HeldBy h ->
                sendLockInfo(exchange, OutcomeStatus.of(result), h.holder().info());
            case UnlockResult.Frozen f ->
                sendLockInfo(exchange, OutcomeStatus.of(result), f.shown().info());
            default -> exchange.sendEmpty(OutcomeStatus.of(result));
        }
    }

    /**
     * DELETE on the state address: with a LockInfo body it is an unlock ({@code unlock_method =
     * DELETE}); with no body it deletes the state and its history, which needs admin (the use case
     * checks it) and is refused while someone else holds the lock.
     */
    private void deleteOrUnlock(Exchange exchange, StateKey key, Principal principal) throws IOException {
        byte[] body = exchange.readSmallBody(MAX_LOCK_INFO_BYTES, "lock info");
        if (body.length > 0 && !new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            unlock(exchange, key, principal, body);
            return;
        }
        DeleteResult result = states.delete(principal, key, exchange.query("ID"));
        int status = OutcomeStatus.of(result);
        switch (result) {
            case DeleteResult.Deleted d -> exchange.sendEmpty(status);
            case DeleteResult.NotFound n -> exchange.sendText(status, "state " + key + " does not exist");
            case DeleteResult.LockedBy l ->
                sendLockInfo(exchange, status, l.holder().info());
        }
    }

    /** 423/409 bodies are the holder's LockInfo exactly as it was sent: clients show it. */
    private static void sendLockInfo(Exchange exchange, int status, LockInfo info) throws IOException {
        exchange.send(status, Exchange.JSON, info.json());
    }
}
