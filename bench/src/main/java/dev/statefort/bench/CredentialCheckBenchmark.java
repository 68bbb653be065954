package dev.statefort.bench;

import dev.statefort.core.auth.PasswordHasher;
import dev.statefort.core.auth.TokenService;
import dev.statefort.core.auth.UserService;
import dev.statefort.core.identity.JwtVerifier;
import dev.statefort.core.identity.OidcIssuer;
import dev.statefort.core.identity.RequestTarget;
import dev.statefort.core.identity.WorkloadIdentityService;
import dev.statefort.core.model.Permission;
import dev.statefort.core.model.StateKey;
import dev.statefort.core.model.TrustPolicy;
import dev.statefort.core.testing.FakeOidcIssuer;
import dev.statefort.core.testing.InMemoryMetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 28: what checking a CI job's OIDC ID token costs at a request, on a warm key cache (the
 * issuer's keys fetched once; {@link FakeOidcIssuer} on 127.0.0.1), against checking an API token:
 * the token's row looked up and its secret compared, against the JWT's signature (RS256 or ES256),
 * issuer, audience, times and the project's trust policies. Same in-memory store, same run; report
 * {@code oidcToken / apiToken} per algorithm.
 *
 * <pre>java -jar bench/target/benchmarks.jar CredentialCheckBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CredentialCheckBenchmark {
    private static final StateKey STATE = new StateKey("bench", "prod-network");

    @Param({"RS256", "ES256"})
    public String algorithm;

    private FakeOidcIssuer issuer;
    private TokenService tokens;
    private WorkloadIdentityService identities;
    private String apiToken;
    private String jwt;
    private RequestTarget target;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        InMemoryMetadataStore metadata = new InMemoryMetadataStore();
        metadata.createProject(STATE.project(), Instant.now());
        tokens = new TokenService(metadata, new UserService(metadata, PasswordHasher.standard(), clock), clock);
        apiToken = tokens.create(STATE.project(), Permission.WRITE, "bench").token();

        issuer = FakeOidcIssuer.start();
        JwtVerifier verifier = new JwtVerifier(
                List.of(new OidcIssuer("ci", issuer.issuer(), FakeOidcIssuer.AUDIENCE, null, null)), clock);
        identities = new WorkloadIdentityService(verifier, metadata.access(), metadata, Duration.ofHours(2), clock);
        metadata.access()
                .createTrustPolicy(new TrustPolicy(
                        "p1",
                        STATE.project(),
                        "deploy-main",
                        "ci",
                        Map.of("repository", "acme/infra", "ref", "refs/heads/main"),
                        Permission.WRITE,
                        "prod-*",
                        "bench",
                        Instant.now()));
        var claims = issuer.claims("repo:acme/infra:ref:refs/heads/main", Instant.now(), 3600)
                .claim("repository", "acme/infra")
                .claim("ref", "refs/heads/main")
                .build();
        jwt = algorithm.equals("ES256") ? issuer.signEs256(claims) : issuer.signRs256(claims);
        target = RequestTarget.state(STATE, RequestTarget.LockUse.NONE, null);
        if (identities.authenticate(jwt, target) == null
                || tokens.authenticate(apiToken).isEmpty()) {
            throw new IllegalStateException("a credential does not authenticate");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        issuer.close();
    }

    @Benchmark
    public Object apiToken() {
        return tokens.authenticate(apiToken);
    }

    @Benchmark
    public Object oidcToken() {
        return identities.authenticate(jwt, target);
    }
}
