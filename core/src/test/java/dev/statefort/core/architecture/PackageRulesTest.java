package dev.statefort.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Core's packages are nouns that import one way: {@code model} (records and value rules) at the bottom,
 * {@code spi} (the store interfaces) on it, the use cases above. Each rule fails on the import that
 * breaks it and names the classes.
 */
class PackageRulesTest {

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.statefort.core");
    }

    @Test
    void corePackagesFormNoImportCycle() {
        slices().matching("dev.statefort.core.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void theSpiImportsOnlyTheModel() {
        noClasses()
                .that()
                .resideInAPackage("dev.statefort.core.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(useCasePackages())
                .check(core);
    }

    @Test
    void theModelImportsNoOtherCorePackage() {
        noClasses()
                .that()
                .resideInAPackage("dev.statefort.core.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(useCasePackages(), "dev.statefort.core.spi.."))
                .check(core);
    }

    private static String[] useCasePackages() {
        return new String[] {
            "dev.statefort.core.admin..",
            "dev.statefort.core.audit..",
            "dev.statefort.core.auth..",
            "dev.statefort.core.crypto..",
            "dev.statefort.core.history..",
            "dev.statefort.core.identity..",
            "dev.statefort.core.insight..",
            "dev.statefort.core.lock..",
            "dev.statefort.core.policy..",
            "dev.statefort.core.project..",
            "dev.statefort.core.quarantine..",
            "dev.statefort.core.state..",
            "dev.statefort.core.storage..",
            "dev.statefort.core.storagetype..",
            "dev.statefort.core.transfer..",
            "dev.statefort.core.usecases.."
        };
    }

    private static String[] concat(String[] packages, String more) {
        String[] all = java.util.Arrays.copyOf(packages, packages.length + 1);
        all[packages.length] = more;
        return all;
    }
}
