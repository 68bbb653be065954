package dev.statefort.store.s3;

import dev.statefort.core.spi.BlobStore;
import dev.statefort.core.spi.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Opens {@link BlobStore}s on Amazon S3 and S3-compatible stores. */
public final class S3BlobStores {
    private S3BlobStores() {}

    /**
     * A store on the bucket {@code settings} name; with {@link S3Settings#create()} the bucket is
     * created when missing. Reaches nothing else at open: an unreachable store is reported by {@link
     * BlobStore#ping} and by each operation as {@link StoreUnavailableException}.
     */
    public static BlobStore open(S3Settings settings) {
        return open(settings, List.of());
    }

    /** {@link #open(S3Settings)} with SDK interceptors on the client (tests watch the requests with them). */
    static BlobStore open(S3Settings settings, List<ExecutionInterceptor> interceptors) {
        S3Client client = client(settings, interceptors);
        if (settings.create()) {
            try {
                createBucketIfMissing(client, settings);
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        return new S3BlobStore(client, settings);
    }

    static S3Client client(S3Settings settings, List<ExecutionInterceptor> interceptors) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(
                        c -> c.retryStrategy(r -> r.maxAttempts(3)).executionInterceptors(interceptors))
                .forcePathStyle(settings.effectivePathStyle())
                .credentialsProvider(credentials(settings));
        if (settings.effectiveChecksums() == S3Settings.Checksums.WHEN_REQUIRED) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        } else {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED);
        }
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (settings.region() != null) {
            builder.region(Region.of(settings.region()));
        } else if (settings.endpoint() != null) {
            builder.region(Region.US_EAST_1); // S3-compatible stores sign with any region; never "auto" by force
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                settings.sessionToken() == null
                        ? AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())
                        : AwsSessionCredentials.create(
                                settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken()));
    }

    private static void createBucketIfMissing(S3Client client, S3Settings settings) {
        try {
            client.headBucket(r -> r.bucket(settings.bucket()));
            return;
        } catch (NoSuchBucketException e) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new StoreUnavailableException(
                        "S3 bucket " + settings.location() + " cannot be checked: " + S3BlobStore.describe(e), e);
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException(
                    "S3 bucket " + settings.location() + " cannot be checked: " + S3BlobStore.describe(e), e);
        }
        try {
            client.createBucket(r -> {
                r.bucket(settings.bucket());
                if (settings.endpoint() == null
                        && settings.region() != null
                        && !settings.region().equals("us-east-1")) {
                    r.createBucketConfiguration(b -> b.locationConstraint(settings.region()));
                }
            });
        } catch (SdkException e) {
            throw new StoreUnavailableException(
                    "S3 bucket " + settings.location() + " cannot be created: " + S3BlobStore.describe(e), e);
        }
    }
}
