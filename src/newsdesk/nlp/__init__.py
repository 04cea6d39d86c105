"""The model seams shared by the cluster and enrich stages: embedder, spaCy pipeline, LLM."""
