"""Item side of the recommender: catalog, embeddings, vector store, ranking."""
