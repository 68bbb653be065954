package dev.statefort.core.storagetype;

import java.net.URI;
import java.nio.file.Path;

/**
 * The options of {@code statefort import} a storage type's {@link StorageType.Import} reads (null or
 * false when not given); each type takes the ones that mean something to it.
 */
public interface ImportOptions {
    /** {@code --endpoint}: an S3-compatible, Azurite or GCS endpoint. */
    URI endpoint();

    /** {@code --region}: the S3 signing region. */
    String region();

    /** {@code --path-style}. */
    Boolean pathStyle();

    /** {@code --access-key-id}. */
    String accessKeyId();

    /** {@code --secret-access-key}. */
    String secretAccessKey();

    /** {@code --versions}: object versions as history. */
    boolean versions();

    /** {@code --account}: the Azure storage account. */
    String account();

    /** {@code --connection-string}. */
    String connectionString();

    /** {@code --sas-token}. */
    String sasToken();

    /** {@code --credentials-file}: GCS service-account JSON. */
    Path credentialsFile();

    /** {@code --anonymous}: GCS without credentials. */
    boolean anonymous();

    /** The environment variable a missing option falls back to ({@code AWS_ACCESS_KEY_ID}, ...). */
    String env(String variable);
}
