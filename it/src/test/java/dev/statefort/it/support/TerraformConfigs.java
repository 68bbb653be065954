package dev.statefort.it.support;

/** Terraform configurations the end-to-end tests apply (built-in {@code terraform_data} only: they run offline). */
public final class TerraformConfigs {
    private TerraformConfigs() {}

    /**
     * One {@code terraform_data} resource with {@code var.input}, an output of it, and two ways to hold
     * an apply (and its lock) open: {@code sleep_seconds} sleeps in a provisioner, {@code gate_file}
     * waits until the test creates that file.
     */
    public static final String EXAMPLE = """
            variable "input" {
              type = string
            }

            variable "sleep_seconds" {
              type    = number
              default = 0
            }

            variable "gate_file" {
              type    = string
              default = ""
            }

            resource "terraform_data" "example" {
              input = var.input
            }

            resource "terraform_data" "slow" {
              count            = var.sleep_seconds > 0 ? 1 : 0
              triggers_replace = [var.input]

              provisioner "local-exec" {
                command = "sleep ${var.sleep_seconds}"
              }
            }

            # Holds the apply (and its lock) until the test creates gate_file; gives up after 120 s.
            resource "terraform_data" "gated" {
              count            = var.gate_file != "" ? 1 : 0
              triggers_replace = [var.input]

              provisioner "local-exec" {
                command = "i=0; while [ ! -f '${var.gate_file}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; [ -f '${var.gate_file}' ]"
              }
            }

            output "input" {
              value = terraform_data.example.output
            }
            """;
}
