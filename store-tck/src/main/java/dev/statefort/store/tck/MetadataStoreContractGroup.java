package dev.statefort.store.tck;

import dev.statefort.core.spi.MetadataStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One group of {@link MetadataStoreContract}'s tests (locks, versions, audit, ...), run as a
 * {@code @Nested} class of it: its tests use the store the enclosing contract opened for the test.
 */
@ExtendWith(MetadataStoreContractGroup.TheContractsStore.class)
public abstract class MetadataStoreContractGroup extends MetadataStoreHelpers {

    @BeforeEach
    final void useTheContractsStore(MetadataStore opened) {
        store = opened;
    }

    /** Resolves a {@link MetadataStore} parameter to the store of the enclosing {@link MetadataStoreContract}. */
    static final class TheContractsStore implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == MetadataStore.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRequiredTestInstances().getAllInstances().stream()
                    .filter(MetadataStoreContract.class::isInstance)
                    .map(c -> ((MetadataStoreContract) c).store)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "a contract group runs only as a @Nested class of a MetadataStoreContract"));
        }
    }
}
